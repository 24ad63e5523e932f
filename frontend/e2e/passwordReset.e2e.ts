// "Forgot your password?" in real Chromium against a real `vakt serve`: the request page gives
// the same answer for any address, and the page of the mailed link explains a bad link. (The
// whole round trip through a real SMTP server is tests/acceptance/selfservice.)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';

import { expectAccessible, launchBrowser, newContext, screenshot } from './support';

describe.skipIf(!inject('chromium'))('password reset in the browser', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('asks for a reset link from the login screen and answers alike for any address', async () => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectAccessible(page, 'forgot password');
    await page.getByLabel(/^Email/).fill('nobody-here@example.org');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: 'If nobody-here@example.org has an account' }).waitFor();
    await screenshot(page, '70-forgot-password');
  });

  it('explains a link that is not valid and offers a new one', async () => {
    await page.goto('/reset-password?token=not-a-real-token');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel(/^New password again/).fill('a long new passphrase');
    await page.getByLabel(/^New password$|^New password \*/).fill('a long new passphrase');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('alert').filter({ hasText: 'This link is not valid.' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await expectAccessible(page, 'reset link not valid');
  });
});
