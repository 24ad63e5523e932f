// Ticket lists on the API's sorts and counts, and screens that follow the agent's rights
// (GET /api/v1/me/queues), in real Chromium against a real `vakt serve` (see globalSetup.ts).
// Queues, agents and tickets of their own are set up through the API, so other files'
// tickets do not disturb the orders and counts checked here.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, expectAccessible, launchBrowser, newContext, screenshot, signIn } from './support';

const SARA = { name: 'Sara Sorter', email: 'sara.sorter@example.org', password: 'sara agent passphrase' };
const RITA = { name: 'Rita Reader', email: 'rita.reader@example.org', password: 'rita agent passphrase' };
/** Created in this order, so the default order (newest change first) is Zoe, Adam, Mia. */
const CUSTOMERS = [
  { name: 'Mia Middleton', email: 'mia.middleton@example.org' },
  { name: 'Adam Abbott', email: 'adam.abbott@example.org' },
  { name: 'Zoe Zimmer', email: 'zoe.zimmer@example.org' },
];
/** More than a dashboard list shows (ten), so only a real count can say how many. */
const SARAS_TICKETS = 12;

/** A group with one queue of the same name; returns both ids. */
async function groupWithQueue(token: string, name: string): Promise<{ groupId: number; queueId: number }> {
  const group = await callApi('POST', '/api/v1/groups', { token, body: { name: name.toLowerCase().replace(/ /g, '-') } });
  expect(group.status).toBe(201);
  const groupId = Number(group.body?.id);
  const queue = await callApi('POST', '/api/v1/queues', { token, body: { name, group_id: groupId } });
  expect(queue.status).toBe(201);
  return { groupId, queueId: Number(queue.body?.id) };
}

/** An agent with a password and `rights` on one group. */
async function agent(token: string, who: typeof SARA, groupId: number, rights: string[]): Promise<number> {
  const created = await callApi('POST', '/api/v1/users', { token, body: { name: who.name, email: who.email, password: who.password } });
  expect(created.status).toBe(201);
  const id = Number(created.body?.id);
  expect((await callApi('PUT', `/api/v1/groups/${groupId}/members/${id}`, { token, body: { rights } })).status).toBe(200);
  return id;
}

/** Which of the customers each row of the ticket table names, top to bottom. */
async function customerOrder(page: Page): Promise<string[]> {
  const rows = await page.locator('tbody tr').allInnerTexts();
  return rows.map((row) => CUSTOMERS.find((customer) => row.includes(customer.name))?.name ?? '?');
}

describe.skipIf(!inject('chromium'))('ticket lists and rights in the browser', () => {
  let browser: Browser;
  let page: Page;
  let deskId = 0;
  let readOnlyNumber = '';

  beforeAll(async () => {
    const admin = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const desk = await groupWithQueue(admin, 'Sorting desk');
    deskId = desk.queueId;
    const saraId = await agent(admin, SARA, desk.groupId, ['rw']);
    for (const customer of CUSTOMERS) {
      const created = await callApi('POST', '/api/v1/tickets', {
        token: admin,
        body: {
          title: `Question from ${customer.name}`,
          queue_id: deskId,
          customer_email: customer.email,
          customer_name: customer.name,
          article: { body: 'Where is my parcel?' },
        },
      });
      expect(created.status).toBe(201);
    }
    for (let index = 1; index <= SARAS_TICKETS; index += 1) {
      const created = await callApi('POST', '/api/v1/tickets', {
        token: admin,
        body: { title: `Sara's case ${index}`, queue_id: deskId, owner_id: saraId, article: { body: 'Follow up.' } },
      });
      expect(created.status).toBe(201);
    }
    // Rita may only read the archive.
    const archive = await groupWithQueue(admin, 'Read-only archive');
    await agent(admin, RITA, archive.groupId, ['ro']);
    const archived = await callApi('POST', '/api/v1/tickets', {
      token: admin,
      body: { title: 'Old contract question', queue_id: archive.queueId, article: { body: 'For reference only.' } },
    });
    expect(archived.status).toBe(201);
    readOnlyNumber = String(archived.body?.number);

    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    await signIn(page, SARA.email, SARA.password);
  });

  afterAll(async () => {
    await browser.close();
  });

  it('sorts the queue view by customer on the server, in the address bar, both ways', async () => {
    await page.goto(`/agent/tickets?queue_id=${deskId}&owner_id=none`);
    await page.getByRole('heading', { level: 1, name: 'Sorting desk' }).waitFor();
    await page.getByText('3 tickets', { exact: true }).waitFor();
    await expect.poll(() => customerOrder(page)).toEqual(['Zoe Zimmer', 'Adam Abbott', 'Mia Middleton']);

    const header = page.getByRole('columnheader', { name: /^Customer/ });
    expect(await header.getAttribute('aria-sort')).toBe('none');
    await header.getByRole('button').click();
    await expect.poll(() => customerOrder(page)).toEqual(['Adam Abbott', 'Mia Middleton', 'Zoe Zimmer']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('customer');
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await screenshot(page, '70-queue-sorted-by-customer');

    await header.getByRole('button').click();
    await expect.poll(() => customerOrder(page)).toEqual(['Zoe Zimmer', 'Mia Middleton', 'Adam Abbott']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-customer');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    // Title, state and owner sort too.
    for (const column of ['Title', 'State', 'Owner']) {
      expect(await page.getByRole('columnheader', { name: new RegExp(`^${column}`) }).getByRole('button').count()).toBe(1);
    }
  });

  it('counts a dashboard list beyond the ten it shows, and the queue view in total', async () => {
    await page.goto('/agent');
    const mine = page.getByRole('region', { name: /^My open tickets/ });
    await mine.getByRole('heading', { level: 2, name: `My open tickets ${SARAS_TICKETS} tickets` }).waitFor();
    // The count and the list are two requests: wait for the list too.
    await expect.poll(() => mine.getByRole('listitem').count()).toBe(10);
    await page.getByRole('heading', { level: 2, name: 'My pending reminder tickets due 0 tickets' }).waitFor();
    await screenshot(page, '71-dashboard-counts');

    await page.goto(`/agent/tickets?queue_id=${deskId}`);
    await page.getByText(`${CUSTOMERS.length + SARAS_TICKETS} tickets`, { exact: true }).waitFor();
  });

  it('offers an agent with only read access on a queue no take, reply, note or change', async () => {
    const context = await newContext(browser);
    const rita = await context.newPage();
    await signIn(rita, RITA.email, RITA.password);
    await rita.goto(`/agent/tickets/${readOnlyNumber}`);
    await rita.getByRole('heading', { level: 1, name: 'Old contract question' }).waitFor();
    const composer = rita.getByRole('region', { name: 'Reply or note' });
    await composer.getByText(/allow neither a reply nor a note/).waitFor();
    expect(await composer.getByRole('textbox').count()).toBe(0);
    expect(await rita.getByRole('button', { name: 'Take' }).count()).toBe(0);
    expect(await rita.getByText('Reply to customer').count()).toBe(0);
    const properties = rita.getByRole('region', { name: 'Properties' });
    expect(await properties.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await properties.getByRole('textbox', { name: 'Title' }).isDisabled()).toBe(true);
    // Watching herself is hers to decide; adding colleagues needs `rw`.
    await rita.getByRole('button', { name: 'Watch this ticket' }).waitFor();
    expect(await rita.getByLabel('Add a watcher').count()).toBe(0);
    await expectAccessible(rita, 'ticket page, read-only');
    await screenshot(rita, '72-ticket-read-only');
    // Hidden because the API refuses it, not just hidden.
    const token = await apiToken(RITA.email, RITA.password);
    expect((await callApi('POST', `/api/v1/tickets/${readOnlyNumber}/take`, { token })).status).toBe(403);

    // The bulk panel offers no change, and no queue takes her new tickets.
    await rita.goto('/agent/tickets');
    await rita.getByRole('checkbox', { name: `Select ticket ${readOnlyNumber}` }).check();
    await rita.getByText('Your rights allow no change to the selected tickets.').waitFor();
    expect(await rita.getByRole('button', { name: /^Change 1 ticket/ }).isDisabled()).toBe(true);
    await rita.goto('/agent/tickets/new');
    await rita.getByText(/You may not create tickets in any queue/).waitFor();
    await context.close();
  });
});
