// Helpers of the end-to-end tests: the browser, signing in, the API, screenshots, axe scans.
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

import { ARTIFACTS } from './credentials';

/** Origin of the server under test. */
export const baseUrl = (): string => inject('baseUrl');

/** Launches Debian's Chromium headless with the flags that work in CI containers. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromium'),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser context (own storage) on the server, in English unless told otherwise. */
export async function newContext(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: options.locale ?? 'en-GB',
    timezoneId: 'Europe/Oslo',
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  context.on('console', (message) => {
    const page = message.page();
    // Styles and scripts only: a blocked remote image is the policy working as meant.
    if (page && message.type() === 'error' && /Refused to (apply|execute|load the (stylesheet|script))/i.test(message.text())) {
      policyViolations.set(page, [...(policyViolations.get(page) ?? []), message.text()]);
    }
  });
  return context;
}

/** Styles and scripts the browser refused under the server's Content-Security-Policy, per page. */
const policyViolations = new WeakMap<Page, string[]>();

/** Fails if the page's Content-Security-Policy has refused a style or a script so far. */
export function expectNoPolicyViolations(page: Page, what: string): void {
  expect(policyViolations.get(page) ?? [], `CSP on ${what}`).toEqual([]);
}

/** Signs in through the login form and waits for the user's home. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(agent|portal)(\/|$)/);
}

/** Saves a full-page screenshot as e2e-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Runs axe (WCAG 2.1 A/AA) on the page and fails on any serious or critical violation — and on
 * anything the page's Content-Security-Policy refused so far (an inline style or script the
 * strict policy blocks is a broken screen).
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  expectNoPolicyViolations(page, what);
  // Sandboxed frames hold what others wrote (mail, article bodies), and no script runs in them:
  // axe cannot enter them and would wait for them until the test times out.
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('iframe[sandbox]')
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.impact ?? ''} ${v.id}: ${v.help}\n    ` +
      v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n    '),
  );
  expect(report, `axe on ${what}`).toEqual([]);
}

/** A JSON API call from the test itself (not the browser), optionally with a bearer token. */
export async function callApi(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Signs in through the API and returns the access token. */
export async function apiToken(email: string, password: string): Promise<string> {
  const { status, body } = await callApi('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(status).toBe(200);
  return String(body?.access_token);
}

/**
 * The error text associated with a form field (through `aria-describedby`), so a test proves
 * the message sits with its field, not just somewhere on the page. `within` narrows where the
 * field is looked for (a form, when the page has several fields of that name).
 */
export async function fieldError(page: Page, label: RegExp, within: Page | Locator = page): Promise<string> {
  const field = within.getByLabel(label);
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
}

/**
 * Opens a select by clicking it and picks an option. A list that re-renders as its data arrives
 * can close a dropdown just opened, so a missing option means: close, open again (a few times).
 */
export async function chooseOption(page: Page, combobox: Locator, name: string | RegExp): Promise<void> {
  const option = page.getByRole('option', { name });
  for (let attempt = 1; ; attempt++) {
    await combobox.click();
    try {
      await option.click({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
