// Ticket relations in real Chromium against a real `vakt serve` (see globalSetup.ts): merging
// (then a mail to the old number lands in the target), splitting, linking with the ticket
// search, and a bulk close of 200 tickets with its progress. Set up through the API, in a queue
// of its own so the other e2e files' tickets stay out of the way.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, baseUrl, callApi, chooseOption, expectAccessible, launchBrowser, newContext, screenshot, signIn } from './support';

/** Delivers a raw message to the mail gateway; returns its answer. */
async function deliver(gateway: string, raw: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl()}/api/v1/mail/inbound?queue=Relations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gateway}`, 'Content-Type': 'message/rfc822' },
    body: raw,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const mail = (subject: string, id: string, body: string) =>
  `From: Liv Relasjon <liv.relasjon@example.org>\r\nTo: support@example.com\r\nSubject: ${subject}\r\n` +
  `Message-ID: <${id}@example.org>\r\nDate: Tue, 24 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n` +
  `Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

describe.skipIf(!inject('chromium'))('ticket relations in the browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let gateway: string;
  let queueId = 0;

  const ticket = async (title: string): Promise<{ id: number; number: string }> => {
    const created = await callApi('POST', '/api/v1/tickets', {
      token,
      body: { title, queue_id: queueId, customer_email: 'liv.relasjon@example.org', article: { body: `About ${title}` } },
    });
    expect(created.status).toBe(201);
    return { id: Number(created.body?.id), number: String(created.body?.number) };
  };

  beforeAll(async () => {
    token = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const queue = await callApi('POST', '/api/v1/queues', { token, body: { name: 'Relations', group_id: 1 } });
    expect(queue.status).toBe(201);
    queueId = Number(queue.body?.id);
    const minted = await callApi('POST', '/api/v1/me/tokens', { token, body: { name: 'mx', scope: 'mail_gateway' } });
    expect(minted.status).toBe(201);
    gateway = String(minted.body?.secret);
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context.close();
    await browser.close();
  });

  it('merges a ticket found by number, redirects, and a late mail to the old number lands in the target', async () => {
    const first = await deliver(gateway, mail('VPN drops every hour', 'vpn1', 'It drops.'));
    const second = await deliver(gateway, mail('VPN unstable since Monday', 'vpn2', 'Unstable.'));
    const oldNumber = String(first.ticket_number);
    const targetNumber = String(second.ticket_number);
    await page.goto(`/agent/tickets/${oldNumber}`);
    const relations = page.getByRole('region', { name: 'Relations' });
    await relations.getByText('No linked tickets.').waitFor();
    await relations.getByRole('button', { name: 'Merge into another ticket…' }).click();
    const dialog = page.getByRole('dialog', { name: `Merge ticket ${oldNumber}` });
    await dialog.getByRole('combobox', { name: /^Ticket \(number or title\)/ }).fill(targetNumber);
    await page.getByRole('option', { name: new RegExp(targetNumber) }).click();
    await expectAccessible(page, 'merge dialog');
    await screenshot(page, '60-merge-dialog');
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await page.waitForURL(new RegExp(`/agent/tickets/${targetNumber}$`));
    await page.getByRole('status').filter({ hasText: `Ticket ${oldNumber} was merged into this one.` }).waitFor();
    await page.getByText('It drops.').waitFor();
    await screenshot(page, '61-merged-target');

    // The old address redirects to the target.
    await page.goto(`/agent/tickets/${oldNumber}`);
    await page.waitForURL(new RegExp(`/agent/tickets/${targetNumber}$`));
    // A customer's late reply to the old number lands in the target.
    const late = await deliver(gateway, mail(`Re: [Ticket#${oldNumber}] VPN drops every hour`, 'vpn3', 'Any news on this?'));
    expect(late.ticket_number).toBe(targetNumber);
    await page.reload();
    await page.getByText('Any news on this?').waitFor();
  });

  it('splits an article off into a new linked ticket and links tickets through the search', async () => {
    const original = await ticket('Laptop and printer problems');
    const note = await callApi('POST', `/api/v1/tickets/${original.id}/articles`, {
      token,
      body: { kind: 'note', subject: 'Printer on floor 2', body: 'The printer on floor 2 is also broken.' },
    });
    expect(note.status).toBe(201);
    await page.goto(`/agent/tickets/${original.number}`);
    await page.getByText('The printer on floor 2 is also broken.').waitFor();
    await page.getByRole('button', { name: 'Split this article off into a new ticket' }).last().click();
    const dialog = page.getByRole('dialog', { name: 'Split into a new ticket' });
    await expect.poll(() => dialog.getByLabel(/^Title/).inputValue()).toBe('Printer on floor 2');
    await expectAccessible(page, 'split dialog');
    await dialog.getByRole('button', { name: 'Create the ticket' }).click();
    await page.getByRole('heading', { level: 1, name: 'Printer on floor 2' }).waitFor();
    const relations = page.getByRole('region', { name: 'Relations' });
    await relations.getByText(/is a child of/).waitFor();
    await relations.getByRole('link', { name: original.number }).waitFor();

    // Link it to another ticket found by words of its title.
    await ticket('Toner order for floor 2');
    await relations.getByRole('combobox', { name: /^This ticket/ }).click();
    await page.getByRole('option', { name: 'refers to' }).click();
    await relations.getByRole('combobox', { name: /^Ticket \(number or title\)/ }).fill('Toner');
    await page.getByRole('option', { name: /Toner order for floor 2/ }).click();
    await relations.getByRole('button', { name: 'Link', exact: true }).click();
    await relations.getByText('Toner order for floor 2').waitFor();
    await expectAccessible(page, 'relations panel');
    await screenshot(page, '62-relations-panel');
  });

  it('closes 200 tickets in one bulk job with a progress bar, and unread tickets are bold', async () => {
    // In order (the list's newest-first page then holds exactly these 200), ten at a time.
    for (let i = 0; i < 200; i += 10) {
      for (const created of Array.from({ length: 10 }, (_, j) => ticket(`Bulk ticket ${i + j}`))) await created;
    }
    await page.goto(`/agent/tickets?queue_id=${queueId}&q=Bulk`);
    await page.getByRole('link', { name: /Bulk ticket 199/ }).waitFor();
    const row = page.getByRole('link', { name: /Bulk ticket 199/ });
    expect(await row.getAttribute('data-unread')).toBe('true');
    await page.goto(`/agent/tickets?queue_id=${queueId}`);
    // The first page is there (newest first) before the page size changes.
    await page.getByRole('link', { name: /^(Unread: )?Bulk ticket 199$/ }).waitFor();
    await chooseOption(page, page.getByRole('combobox', { name: 'Per page' }), '200 per page');
    await page.getByRole('link', { name: /^(Unread: )?Bulk ticket 0$/ }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all tickets on this page' }).check();
    const panel = page.getByRole('region', { name: '200 tickets selected' });
    await panel.waitFor();
    await panel.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'closed successful' }).click();
    await panel.getByRole('button', { name: 'Change 200 tickets' }).click();
    // At 0 % the bar's filled part has no width (Playwright calls that hidden): it need only be there.
    await panel.getByRole('progressbar', { name: 'Progress of the change' }).waitFor({ state: 'attached' });
    // The changed tickets leave the selection; the panel stays with the results.
    await page
      .getByRole('region', { name: '0 tickets selected' })
      .getByRole('status')
      .filter({ hasText: '200 changed, 0 not allowed, 0 refused.' })
      .waitFor({ timeout: 60_000 });
    await screenshot(page, '63-bulk-done');
    const open = await callApi('GET', `/api/v1/tickets/count?queue_id=${queueId}&state_type=new,open&q=Bulk`, { token });
    expect(open.body?.count).toBe(0);
  }, 240_000);
});
