// The main flows in real Chromium against a real `vakt serve` (see globalSetup.ts).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_NAME, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, expectAccessible, fieldError, launchBrowser, newContext, screenshot, signIn } from './support';

const AGENT = { name: 'Kari Nordmann', email: 'kari.nordmann@example.org', password: 'kari secret passphrase' };

describe.skipIf(!inject('chromium'))('the web interface', () => {
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newContext(browser);
    page = await admin.newPage();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('shows the login screen, accessible, and a translated error for a wrong password', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'login');
    await screenshot(page, '01-login');

    await page.getByLabel(/^Email/).fill(ADMIN_EMAIL);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    expect(page.url()).toContain('/login');
  });

  it('signs the administrator in to the dashboard shell', async () => {
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/agent');
    await page.getByRole('heading', { level: 1, name: `Welcome, ${ADMIN_NAME}` }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'My profile' }).waitFor();
    await nav.getByRole('link', { name: 'Agents' }).waitFor();
    await page.getByRole('button', { name: `Account menu of ${ADMIN_NAME}` }).waitFor();
    await expectAccessible(page, 'dashboard');
    await screenshot(page, '02-dashboard');
  });

  it('is keyboard-navigable: a skip link first, visible focus, and the menus open from the keyboard', async () => {
    await page.goto('/agent');
    await page.getByRole('heading', { level: 1, name: `Welcome, ${ADMIN_NAME}` }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0).toBe(true); // shown when focused
    expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    const language = page.getByRole('button', { name: /^Language: English/ });
    await language.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Deutsch' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: 'Deutsch' }).waitFor({ state: 'hidden' });
  });

  it('keeps the session over a reload (refresh token in sessionStorage, access token in memory)', async () => {
    const stored = await page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      // only short preferences (the language) in localStorage, never a token
      local: Object.keys(localStorage)
        .map((key) => localStorage.getItem(key) ?? '')
        .filter((value) => value.length > 16),
    }));
    expect(stored.session).toEqual(['vakt.refresh_token']);
    expect(stored.local).toEqual([]); // no token in localStorage
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${ADMIN_NAME}` }).waitFor();
  });

  it('switches to Dutch at once and stores the language on the server', async () => {
    await page.getByRole('button', { name: /^Language: English/ }).click();
    await page.getByRole('menuitem', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { level: 1, name: `Welkom, ${ADMIN_NAME}` }).waitFor();
    await page.getByRole('navigation', { name: 'Hoofdnavigatie' }).getByRole('link', { name: 'Mijn profiel' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    await screenshot(page, '03-dashboard-nl');

    // A fresh browser (no local preference) gets Dutch from the server after sign-in.
    const other = await newContext(browser);
    const otherPage = await other.newPage();
    await signIn(otherPage, ADMIN_EMAIL, ADMIN_PASSWORD);
    await otherPage.getByRole('heading', { level: 1, name: `Welkom, ${ADMIN_NAME}` }).waitFor();
    await other.close();

    await page.getByRole('button', { name: /^Taal: Nederlands/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${ADMIN_NAME}` }).waitFor();
  });

  it('stores the time zone in the profile and formats dates in it', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'My profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await expectAccessible(page, 'profile');
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.click();
    await zone.fill('Tokyo');
    await page.getByRole('option', { name: 'Asia/Tokyo' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, '04-profile');

    const token = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = await callApi('GET', '/api/v1/me', { token });
    expect(me.body?.time_zone).toBe('Asia/Tokyo');

    await page.getByRole('navigation').getByRole('link', { name: 'Start page' }).click();
    await page.getByText('Time zone: Asia/Tokyo').waitFor();
  });

  it('shows a wrong current password beside its field', async () => {
    await page.goto('/agent/profile');
    await page.getByLabel(/^Current password/).fill('definitely wrong');
    await page.getByLabel(/^New password/).fill('another long passphrase');
    await page.getByLabel(/^Repeat the new password/).fill('another long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('This is not your current password.').waitFor();
    expect(await fieldError(page, /^Current password/)).toContain('This is not your current password.');
  });

  it('lets the administrator create an agent, and explains a taken email beside the field', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await page.getByRole('cell', { name: ADMIN_EMAIL }).waitFor();
    await expectAccessible(page, 'admin agents');

    for (const attempt of ['first', 'duplicate']) {
      await page.getByRole('link', { name: 'New agent' }).click();
      await page.getByRole('heading', { level: 1, name: 'New agent' }).waitFor();
      await page.getByLabel(/^Name/).fill(AGENT.name);
      await page.getByLabel(/^Email/).fill(attempt === 'first' ? AGENT.email : AGENT.email.toUpperCase());
      await page.getByLabel(/^Password/).fill(AGENT.password);
      await page.getByRole('button', { name: 'Create agent' }).click();
      if (attempt === 'first') {
        await page.getByText(`Agent ${AGENT.name} was created.`).waitFor();
        await page.getByRole('cell', { name: AGENT.email }).waitFor();
        await screenshot(page, '05-admin-agents');
      }
    }
    await page.getByText('This email address is already in use.').waitFor();
    expect(await fieldError(page, /^Email/)).toContain('This email address is already in use.');
    await expectAccessible(page, 'new agent form with an error');
    await screenshot(page, '06-admin-agent-email-taken');
  });

  it('refuses to take administrator rights from the last administrator (409 last_admin)', async () => {
    await page.goto('/admin/agents');
    await page.getByRole('link', { name: ADMIN_NAME }).click();
    await page.getByRole('heading', { level: 1, name: `Agent ${ADMIN_NAME}` }).waitFor();
    await page.getByRole('switch', { name: 'Administrator' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'This would leave no active administrator.' }).waitFor();
    await expectAccessible(page, 'edit agent');
    await screenshot(page, '07-admin-last-admin');
  });

  it('pages through the agent directory by cursor and searches it', async () => {
    // Order-independent: other test files may have created agents before these, so the
    // pages are those of a search that only these 27 agents match.
    const token = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    for (let i = 1; i <= 27; i += 1) {
      const n = String(i).padStart(2, '0');
      const created = await callApi('POST', '/api/v1/users', {
        token,
        body: { name: `Paging Agent ${n}`, email: `paging${n}@example.org` },
      });
      expect(created.status).toBe(201);
    }
    await page.goto('/admin/agents');
    await page.getByRole('searchbox', { name: 'Search' }).fill('Paging Agent');
    const rows = page.locator('tbody tr');
    await page.getByRole('cell', { name: 'paging25@example.org' }).waitFor(); // 25 rows per page
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 25);
    expect(await page.getByRole('cell', { name: 'paging26@example.org' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByRole('cell', { name: 'paging27@example.org' }).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('cell', { name: 'paging01@example.org' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('nordmann');
    await page.getByText('Page 1').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await page.getByRole('cell', { name: AGENT.email }).waitFor();
  });

  describe('as an agent (not an administrator)', () => {
    let agent: BrowserContext;
    let agentPage: Page;

    beforeAll(async () => {
      agent = await newContext(browser);
      await agent.grantPermissions(['clipboard-read', 'clipboard-write']);
      agentPage = await agent.newPage();
    });

    it('signs in and sees no administration', async () => {
      await signIn(agentPage, AGENT.email, AGENT.password);
      await agentPage.getByRole('heading', { level: 1, name: `Welcome, ${AGENT.name}` }).waitFor();
      const nav = agentPage.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('link', { name: 'My API tokens' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Agents' }).count()).toBe(0);
    });

    it('gets "access denied" on /admin, and the API answers 403', async () => {
      await agentPage.goto('/admin/agents');
      await agentPage.getByRole('heading', { level: 1, name: 'Access denied' }).waitFor();
      await screenshot(agentPage, '08-agent-forbidden');
      const token = await apiToken(AGENT.email, AGENT.password);
      const attempt = await callApi('POST', '/api/v1/users', {
        token,
        body: { name: 'Sneaky', email: 'sneaky@example.org' },
      });
      expect(attempt.status).toBe(403);
      expect(attempt.body?.code).toBe('forbidden');
    });

    it('creates an API token, copies its secret once, uses it, and revokes it', async () => {
      await agentPage.goto('/agent/tokens');
      await agentPage.getByRole('heading', { level: 1, name: 'My API tokens' }).waitFor();
      await agentPage.getByText('You have no active tokens.').waitFor();
      await expectAccessible(agentPage, 'tokens');

      await agentPage.getByLabel(/^Name/).fill('Monitoring script');
      await agentPage.getByRole('button', { name: 'Create token' }).click();
      const secret = (await agentPage.getByTestId('token-secret-value').innerText()).trim();
      expect(secret).toMatch(/^vakt_/);
      await agentPage.getByRole('button', { name: 'Copy secret' }).click();
      await agentPage.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await agentPage.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await agentPage.getByRole('cell', { name: 'Monitoring script', exact: true }).waitFor();
      await expectAccessible(agentPage, 'tokens with a new secret');
      await screenshot(agentPage, '09-tokens-created');

      const me = await callApi('GET', '/api/v1/me', { token: secret });
      expect(me.status).toBe(200);
      expect(me.body?.email).toBe(AGENT.email);

      await agentPage.getByRole('button', { name: 'Done' }).click();
      expect(await agentPage.getByTestId('token-secret').count()).toBe(0); // shown once only
      await agentPage.getByRole('button', { name: 'Revoke token Monitoring script' }).click();
      const dialog = agentPage.getByRole('dialog', { name: 'Revoke token?' });
      await dialog.waitFor();
      await screenshot(agentPage, '10-tokens-revoke-confirm');
      await dialog.getByRole('button', { name: 'Revoke token' }).click();
      await agentPage.getByText('You have no active tokens.').waitFor();
      expect((await callApi('GET', '/api/v1/me', { token: secret })).status).toBe(401);
    });

    it('changes the password, stays signed in, and the old password stops working', async () => {
      const next = 'kari new passphrase';
      await agentPage.goto('/agent/profile');
      await agentPage.getByLabel(/^Current password/).fill(AGENT.password);
      await agentPage.getByLabel(/^New password/).fill(next);
      await agentPage.getByLabel(/^Repeat the new password/).fill(`${next}!`);
      await agentPage.getByRole('button', { name: 'Change password' }).click();
      expect(await fieldError(agentPage, /^Repeat the new password/)).toContain('The two passwords are not the same.');

      await agentPage.getByLabel(/^Repeat the new password/).fill(next);
      await agentPage.getByRole('button', { name: 'Change password' }).click();
      await agentPage.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor();
      const old = await callApi('POST', '/api/v1/auth/login', { body: { email: AGENT.email, password: AGENT.password } });
      expect(old.status).toBe(401);
      AGENT.password = next;
      await agentPage.reload(); // the new session (signed in again with the new password) survives
      await agentPage.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    });

    it('signs out: the server revokes the session and the app returns to the login', async () => {
      const refreshToken = await agentPage.evaluate(() => sessionStorage.getItem('vakt.refresh_token'));
      expect(refreshToken).toBeTruthy();
      await agentPage.getByRole('button', { name: `Account menu of ${AGENT.name}` }).click();
      await agentPage.getByRole('menuitem', { name: 'Sign out' }).click();
      await agentPage.waitForURL(/\/login/);
      expect(await agentPage.evaluate(() => sessionStorage.length)).toBe(0);
      const reuse = await callApi('POST', '/api/v1/auth/refresh', { body: { refresh_token: refreshToken } });
      expect(reuse.status).toBe(401);
      await agentPage.goto('/agent');
      await agentPage.waitForURL(/\/login/);
    });
  });

  it('gives a customer the portal and refuses them the agent and admin areas', async () => {
    const token = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const created = await callApi('POST', '/api/v1/customers', {
      token,
      body: { name: 'Ola Kunde', email: 'ola.kunde@example.org', password: 'ola customer passphrase' },
    });
    expect(created.status).toBe(201);
    const customer = await newContext(browser);
    const customerPage = await customer.newPage();
    await signIn(customerPage, 'ola.kunde@example.org', 'ola customer passphrase');
    // The portal's home is the customer's ticket list, in the portal's own frame.
    await customerPage.waitForURL((url) => url.pathname === '/portal');
    await customerPage.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await customerPage.getByText('Customer portal').waitFor();
    const nav = customerPage.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'My profile' }).click();
    await customerPage.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    expect(await nav.getByRole('link', { name: 'My API tokens' }).count()).toBe(0);
    await expectAccessible(customerPage, 'portal profile');
    await screenshot(customerPage, '13-portal-profile');
    for (const path of ['/agent', '/admin/agents']) {
      await customerPage.goto(path);
      await customerPage.getByRole('heading', { level: 1, name: 'Access denied' }).waitFor();
    }
    await customer.close();
  });

  it('fits a phone: the navigation opens from the menu button', async () => {
    const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newPage();
    await signIn(phonePage, AGENT.email, AGENT.password);
    const nav = phonePage.getByRole('navigation', { name: 'Main navigation' });
    const toggle = phonePage.getByRole('button', { name: 'Show or hide the navigation' });
    await toggle.waitFor();
    // collapsed: out of sight and out of the tab order
    expect(await nav.getByRole('link', { name: 'My profile' }).isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await screenshot(phonePage, '11-phone-dashboard');
    await toggle.click();
    await nav.getByRole('link', { name: 'My profile' }).click();
    await phonePage.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(phonePage, 'profile on a phone');
    await screenshot(phonePage, '12-phone-profile');
    await phone.close();
  });
});
