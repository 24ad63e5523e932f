// The ticket flows of the agent workspace and the customer portal, in real Chromium against a
// real `vakt serve` (see globalSetup.ts). Rights and customers are set up through the API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import {
  apiToken,
  baseUrl,
  callApi,
  expectAccessible,
  expectNoPolicyViolations,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
} from './support';

const AGENT = { name: 'Anna Agentsen', email: 'anna.agentsen@example.org', password: 'anna agent passphrase' };
const OUTSIDER = { name: 'Otto Outsider', email: 'otto.outsider@example.org', password: 'otto agent passphrase' };
const CUSTOMER = { name: 'Per Kundesen', email: 'per.kundesen@example.org', password: 'per customer passphrase' };
const REPLY = 'Hello Per, a technician will replace the drum tomorrow morning.';
const NOTE = 'Internal: drum ordered from the supplier, order 4711.';
const ANSWER = 'Thank you! I will be in the office from eight.';

/** Creates an agent with a password and gives them `rights` on group `groupId`. */
async function agentWithRights(token: string, who: typeof AGENT, groupId: number, rights: string[]): Promise<number> {
  const created = await callApi('POST', '/api/v1/users', { token, body: { name: who.name, email: who.email, password: who.password } });
  expect(created.status).toBe(201);
  const id = Number(created.body?.id);
  const member = await callApi('PUT', `/api/v1/groups/${groupId}/members/${id}`, { token, body: { rights } });
  expect(member.status).toBe(200);
  return id;
}

/** Whether the page scrolls sideways (it must not on a phone). */
async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

describe.skipIf(!inject('chromium'))('tickets in the browser', () => {
  let browser: Browser;
  let agent: BrowserContext;
  let page: Page;
  let adminToken: string;
  let ticketNumber = '';
  let secretNumber = '';

  beforeAll(async () => {
    adminToken = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    // Anna works the General queue (group 1, "users"); Otto has rights only on a group of his own.
    await agentWithRights(adminToken, AGENT, 1, ['rw']);
    const group = await callApi('POST', '/api/v1/groups', { token: adminToken, body: { name: 'secret-unit', description: 'Only for Otto' } });
    expect(group.status).toBe(201);
    const groupId = Number(group.body?.id);
    await agentWithRights(adminToken, OUTSIDER, groupId, ['rw']);
    const queue = await callApi('POST', '/api/v1/queues', { token: adminToken, body: { name: 'Secret unit', group_id: groupId } });
    expect(queue.status).toBe(201);
    const customer = await callApi('POST', '/api/v1/customers', {
      token: adminToken,
      body: { name: CUSTOMER.name, email: CUSTOMER.email, password: CUSTOMER.password },
    });
    expect(customer.status).toBe(201);
    const secret = await callApi('POST', '/api/v1/tickets', {
      token: adminToken,
      body: { title: 'Confidential audit finding', queue_id: Number(queue.body?.id), article: { body: 'Not for the General queue.' } },
    });
    expect(secret.status).toBe(201);
    secretNumber = String(secret.body?.number);

    browser = await launchBrowser();
    agent = await newContext(browser);
    page = await agent.newPage();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('an agent signs in to the dashboard and opens the queue view', async () => {
    await signIn(page, AGENT.email, AGENT.password);
    await page.getByRole('heading', { level: 1, name: `Welcome, ${AGENT.name}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^My open tickets/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^New in my queues/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^My pending reminder tickets due/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^Recently updated/ }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: /^General/ }).waitFor();
    await expectAccessible(page, 'dashboard with ticket lists');
    await screenshot(page, '20-dashboard');
  });

  it('creates a phone ticket for a customer found by the autocomplete', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'New ticket' }).click();
    await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
    const customer = page.getByRole('combobox', { name: /^Customer/ });
    await customer.fill('Kundesen');
    await page.getByRole('option', { name: `${CUSTOMER.name} <${CUSTOMER.email}>` }).click();
    await page.getByLabel(/^Title/).fill('Printer on floor 3 is jammed');
    await page.getByLabel(/^What the customer said/).fill('Per called: the printer shows error E42 and makes a grinding noise.');
    await expectAccessible(page, 'new ticket form');
    await screenshot(page, '21-new-ticket');
    await page.getByRole('button', { name: 'Create ticket' }).click();

    await page.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
    ticketNumber = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(ticketNumber).toMatch(/^\d{10,}$/);
    await page.getByRole('article', { name: `Message from ${CUSTOMER.name}` }).waitFor();
    await page.getByRole('link', { name: CUSTOMER.name }).waitFor();
  });

  it('replies to the customer with an attachment and adds an internal note', async () => {
    const composer = page.getByRole('region', { name: 'Reply or note' });
    await composer.locator('label', { hasText: 'Reply to customer' }).click();
    await composer.getByLabel(/^To/).waitFor();
    expect(await composer.getByLabel(/^To/).inputValue()).toBe(CUSTOMER.email);
    await composer.getByRole('textbox', { name: 'Message' }).fill(REPLY);
    await composer.locator('input[type="file"]').setInputFiles({
      name: 'error-e42.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('E42: drum unit worn out'),
    });
    await composer.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.getByRole('article', { name: `Reply from ${AGENT.name}` });
    await reply.getByText(REPLY).waitFor();
    await reply.getByText('Visible to customer').waitFor();
    await reply.getByRole('button', { name: 'Download error-e42.txt' }).waitFor();

    await composer.locator('label', { hasText: 'Internal note' }).click();
    await composer.getByLabel(/^Note/).fill(NOTE);
    await composer.getByRole('button', { name: 'Add note' }).click();
    const note = page.getByRole('article', { name: `Internal note by ${AGENT.name}` });
    await note.getByText(NOTE).waitFor();
    expect(await note.getAttribute('data-visibility')).toBe('internal');

    // The attachment downloads through an authenticated fetch, under its own name.
    const download = page.waitForEvent('download');
    await reply.getByRole('button', { name: 'Download error-e42.txt' }).click();
    expect((await download).suggestedFilename()).toBe('error-e42.txt');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('cell', { name: 'Ticket created' }).waitFor();
    await page.getByRole('tab', { name: /^Conversation/ }).click();
    await expectAccessible(page, 'ticket page');
    await screenshot(page, '22-ticket-page');

    // The dashboard now lists it as the agent's open ticket.
    await page.goto('/agent');
    await page.getByRole('region', { name: /^My open tickets/ }).getByRole('link', { name: 'Printer on floor 3 is jammed' }).waitFor();
    await screenshot(page, '29-dashboard-with-tickets');
    await page.goto(`/agent/tickets/${ticketNumber}`);
    await page.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
  });

  it('the customer sees the reply but not the note in the portal, and answers', async () => {
    const customer = await newContext(browser);
    const portal = await customer.newPage();
    await signIn(portal, CUSTOMER.email, CUSTOMER.password);
    await portal.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await portal.getByRole('link', { name: 'Printer on floor 3 is jammed' }).waitFor();
    await expectAccessible(portal, 'portal ticket list');
    await screenshot(portal, '30-portal-tickets');

    await portal.getByRole('link', { name: 'Printer on floor 3 is jammed' }).click();
    await portal.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
    await portal.getByText(REPLY).waitFor();
    expect(await portal.getByText(NOTE).count()).toBe(0);
    expect(await portal.getByText(/Internal (note|only)/).count()).toBe(0);
    // Not just hidden: the server never sent it.
    const customerToken = await apiToken(CUSTOMER.email, CUSTOMER.password);
    const articles = await callApi('GET', `/api/v1/tickets/${ticketNumber}/articles`, { token: customerToken });
    expect(JSON.stringify(articles.body)).not.toContain('drum ordered');

    await portal.getByRole('textbox', { name: 'Message' }).fill(ANSWER);
    await portal.getByRole('button', { name: 'Send reply' }).click();
    await portal.getByRole('article', { name: `Message from ${CUSTOMER.name}` }).filter({ hasText: ANSWER }).waitFor();
    await expectAccessible(portal, 'portal ticket page');
    await screenshot(portal, '31-portal-ticket');
    await customer.close();
  });

  it('the agent sees the answer, meets a conflict, reloads, and closes the ticket', async () => {
    await page.reload();
    await page.getByRole('article', { name: `Message from ${CUSTOMER.name}` }).filter({ hasText: ANSWER }).waitFor();

    const properties = page.getByRole('region', { name: 'Properties' });
    await properties.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'closed successful' }).click();
    // Meanwhile a colleague raises the priority: the save must not overwrite it blindly.
    const raised = await callApi('PATCH', `/api/v1/tickets/${ticketNumber}`, { token: adminToken, body: { priority_id: 4 } });
    expect(raised.status).toBe(200);
    await properties.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this ticket' }).first().waitFor();
    await screenshot(page, '23-ticket-conflict');
    await page.getByRole('button', { name: 'Reload' }).first().click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this ticket' }).first().waitFor({ state: 'detached' });
    // The chosen state survived the reload; the colleague's priority is now shown.
    expect(await properties.getByRole('combobox', { name: 'Priority' }).inputValue()).toBe('4 high');
    await properties.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('closed successful', { exact: true }).first().waitFor();
    const closed = await callApi('GET', `/api/v1/tickets/${ticketNumber}`, { token: adminToken });
    expect((closed.body?.state as { state_type: string }).state_type).toBe('closed');
    expect((closed.body?.priority as { id: number }).id).toBe(4);
  });

  it('shows mail HTML in a sandboxed frame, loading remote images only after "Show images"', async () => {
    // A stand-in for a sender's tracking server: it counts the requests it gets.
    let hits = 0;
    const tracker: Server = createServer((_request, response) => {
      hits += 1;
      response.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    });
    await new Promise<void>((done) => tracker.listen(0, '127.0.0.1', done));
    const trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}/pixel.svg`;
    const sameOrigin = `${baseUrl()}/favicon.svg`;
    const created = await callApi('POST', '/api/v1/tickets', {
      token: adminToken,
      body: {
        title: 'Newsletter with images',
        queue_id: 1,
        customer_email: CUSTOMER.email,
        article: {
          body: 'Newsletter',
          body_html:
            `<p>Our <b>news</b></p><p style="color: rgb(200, 0, 0)">Styled by the sender</p>` +
            `<img alt="logo" src="${sameOrigin}"><img alt="pixel" src="${trackerUrl}">`,
        },
      },
    });
    expect(created.status).toBe(201);
    await page.goto(`/agent/tickets/${String(created.body?.number)}`);
    const frame = page.getByTestId('article-html');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    const inside = page.frameLocator('[data-testid="article-html"]');
    await inside.getByText('news').waitFor();
    // The sender's inline style still applies under the page's policy without 'unsafe-inline'.
    const styled = inside.getByText('Styled by the sender');
    expect(await styled.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(200, 0, 0)');
    expectNoPolicyViolations(page, 'an HTML mail');
    expect(await inside.locator('img[alt="logo"]').getAttribute('src')).toBeNull();
    await page.getByText('2 remote images are blocked to protect your privacy.').waitFor();
    await screenshot(page, '33-html-mail-blocked');
    expect(hits).toBe(0);

    await page.getByRole('button', { name: 'Show images' }).click();
    await inside.locator('img[alt="logo"][src]').waitFor();
    await page.waitForFunction(
      () => {
        const doc = document.querySelector<HTMLIFrameElement>('[data-testid="article-html"]')?.contentDocument;
        const img = doc?.querySelector<HTMLImageElement>('img[alt="logo"]');
        return img?.complete === true && img.naturalWidth > 0;
      },
      undefined,
      { timeout: 10_000 },
    );
    // The app's own page policy (img-src 'self' data: blob:) is inherited by the frame: a
    // third-party image stays blocked even after the click until the server allows web images.
    await page.waitForTimeout(500);
    expect(hits).toBe(0);
    await new Promise<void>((done) => tracker.close(() => done()));
  });

  it('shows the queue view with counts, filters, sorting and a selection for bulk changes', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^General/ }).click();
    await page.getByRole('heading', { level: 1, name: 'General' }).waitFor();
    await page.getByRole('group', { name: 'Tickets by state' }).getByRole('button', { name: /^Closed/ }).click();
    await page.getByRole('link', { name: 'Printer on floor 3 is jammed' }).waitFor();
    expect(new URL(page.url()).searchParams.get('state_type')).toBe('closed');
    await page.getByRole('button', { name: /^Priority/ }).click();
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-priority');
    await page.getByRole('checkbox', { name: `Select ticket ${ticketNumber}` }).check();
    await page.getByRole('region', { name: '1 ticket selected' }).waitFor();
    await expectAccessible(page, 'queue view with a selection');
    await screenshot(page, '24-queue-view');
  });

  it('shows live who else is on a ticket, a colleague’s change at once, and notifications in the bell', async () => {
    const otherContext = await newContext(browser);
    const colleague = await otherContext.newPage();
    await signIn(colleague, ADMIN_EMAIL, ADMIN_PASSWORD);
    await colleague.goto(`/agent/tickets/${ticketNumber}`);
    await colleague.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
    await page.goto(`/agent/tickets/${ticketNumber}`);
    const composer = page.getByRole('region', { name: 'Reply or note' });
    await composer.getByLabel(/^Note/).fill('Checking the toner as well.');
    // Collision detection: the colleague sees that Anna is writing.
    await colleague.getByTestId('presence').filter({ hasText: `${AGENT.name} is writing a reply to this ticket.` }).waitFor();
    await screenshot(colleague, '34-presence-writing');
    await composer.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Checking the toner as well.').first().waitFor();
    // The event stream reports the change at once (the fallback poll is a minute away).
    await colleague.getByRole('alert').filter({ hasText: 'Someone else changed this ticket' }).first().waitFor({ timeout: 15_000 });
    await colleague.getByRole('button', { name: 'Reload' }).first().click();
    await colleague.getByText('Checking the toner as well.').first().waitFor();
    await otherContext.close();

    // Per's answer earlier was a customer follow-up on Anna's ticket: an in-app notification.
    const bell = page.getByRole('button', { name: /^Notifications: [1-9]\d* unread$/ });
    await bell.waitFor({ timeout: 20_000 });
    await bell.click();
    await page.getByRole('menu').getByRole('menuitem').first().waitFor();
    await screenshot(page, '35-notifications');
    await page.getByRole('menu').getByRole('menuitem').first().click();
    await page.waitForURL(/\/agent\/tickets\/\d+$/);
  });

  it('an agent without rights on a queue cannot see its tickets', async () => {
    // Anna: not in her navigation, not in her lists, and the ticket itself is "not found".
    await page.goto('/agent/tickets?state_type=all');
    await page.getByRole('heading', { level: 1, name: 'All my queues' }).waitFor();
    await page.getByRole('link', { name: 'Printer on floor 3 is jammed' }).waitFor();
    expect(await page.getByText('Confidential audit finding').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Secret unit/ }).count()).toBe(0);
    await page.goto(`/agent/tickets/${secretNumber}`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const annaToken = await apiToken(AGENT.email, AGENT.password);
    expect((await callApi('GET', `/api/v1/tickets/${secretNumber}`, { token: annaToken })).status).toBe(404);

    // Otto, who has the rights, sees it.
    const other = await newContext(browser);
    const otto = await other.newPage();
    await signIn(otto, OUTSIDER.email, OUTSIDER.password);
    await otto.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Secret unit/ }).click();
    await otto.getByRole('heading', { level: 1, name: 'Secret unit' }).waitFor();
    await otto.getByRole('link', { name: 'Confidential audit finding' }).waitFor();
    expect(await otto.getByText('Printer on floor 3 is jammed').count()).toBe(0);
    await other.close();
  });

  it('shows the ticket screens in Dutch', async () => {
    await page.goto('/agent/tickets');
    await page.getByRole('button', { name: /^Language: English/ }).click();
    await page.getByRole('menuitem', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { level: 1, name: 'Al mijn wachtrijen' }).waitFor();
    await page.getByRole('columnheader', { name: /^Nummer/ }).waitFor();
    await page.getByRole('group', { name: 'Tickets per status' }).getByRole('button', { name: /^Nieuw/ }).waitFor();
    await screenshot(page, '25-queue-view-nl');
    await page.goto(`/agent/tickets/${ticketNumber}`);
    await page.getByRole('tab', { name: /^Gesprek/ }).waitFor();
    await page.getByRole('region', { name: 'Antwoord of notitie' }).waitFor();
    await page.getByText('Interne notitie van Anna Agentsen').first().waitFor();
    await screenshot(page, '26-ticket-page-nl');
    await page.getByRole('button', { name: /^Taal: Nederlands/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
  });

  it('fits a phone: queue view, ticket page and portal', async () => {
    const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newPage();
    await signIn(phonePage, AGENT.email, AGENT.password);
    await phonePage.goto('/agent/tickets?state_type=all');
    await phonePage.getByRole('link', { name: 'Printer on floor 3 is jammed' }).waitFor();
    expect(await overflowsSideways(phonePage)).toBe(false);
    await screenshot(phonePage, '27-phone-queue-view');
    await phonePage.getByRole('link', { name: 'Printer on floor 3 is jammed' }).click();
    await phonePage.getByRole('heading', { level: 1, name: 'Printer on floor 3 is jammed' }).waitFor();
    expect(await overflowsSideways(phonePage)).toBe(false);
    await expectAccessible(phonePage, 'ticket page on a phone');
    await screenshot(phonePage, '28-phone-ticket');
    await phone.close();

    const phonePortal = await newContext(browser, { viewport: { width: 390, height: 844 } });
    const portal = await phonePortal.newPage();
    await signIn(portal, CUSTOMER.email, CUSTOMER.password);
    await portal.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await portal.locator('label', { hasText: /^All$/ }).click();
    await portal.getByRole('link', { name: 'Printer on floor 3 is jammed' }).click();
    await portal.getByText(ANSWER).waitFor();
    expect(await overflowsSideways(portal)).toBe(false);
    await screenshot(portal, '32-phone-portal-ticket');
    await phonePortal.close();
  });

  it('lets the administrator manage a group’s members and rights', async () => {
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.goto('/admin/groups');
    await admin.getByRole('link', { name: 'users' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Group users' }).waitFor();
    await admin.getByRole('checkbox', { name: `Read: ${AGENT.name}` }).waitFor();
    await expectAccessible(admin, 'admin group members');
    await screenshot(admin, '40-admin-group');
    await admin.goto('/admin/queues');
    await admin.getByRole('link', { name: 'Secret unit', exact: true }).waitFor();
    await expectAccessible(admin, 'admin queues');
    await screenshot(admin, '41-admin-queues');
    await adminContext.close();
  });

  it('lets the administrator set up mail: an account, a filter (with a regex error beside its field), the quarantine', async () => {
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    const nav = admin.getByRole('navigation', { name: 'Main navigation' });

    await nav.getByRole('link', { name: 'Mail accounts' }).click();
    await admin.getByRole('link', { name: 'New mail account' }).click();
    await admin.getByLabel(/^Name/).fill('Support mailbox');
    await admin.getByLabel(/^Server host/).fill('127.0.0.1');
    await admin.getByLabel(/^User name/).fill('support');
    await admin.getByLabel(/^Password/).fill('mailbox secret');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByRole('link', { name: 'Support mailbox' }).waitFor();
    await admin.getByRole('button', { name: 'Poll Support mailbox now' }).waitFor();
    await expectAccessible(admin, 'admin mail accounts');
    await screenshot(admin, '42-admin-mail-accounts');

    await nav.getByRole('link', { name: 'Postmaster filters' }).click();
    await admin.getByRole('link', { name: 'New filter' }).click();
    await admin.getByLabel(/^Name/).fill('Spam');
    const condition = admin.getByRole('group', { name: 'Condition 1' });
    await condition.getByLabel('Field or header').fill('X-Spam-Flag');
    await condition.getByRole('textbox', { name: 'Pattern' }).fill('(?i)^yes(');
    await admin.getByLabel('Ignore the message (no ticket)').check();
    await admin.getByRole('button', { name: 'Create filter' }).click();
    await condition.getByText('This is not a valid regular expression.').waitFor();
    await expectAccessible(admin, 'filter form with an error');
    await screenshot(admin, '43-admin-filter-error');
    await condition.getByRole('textbox', { name: 'Pattern' }).fill('(?i)^yes');
    await admin.getByRole('button', { name: 'Create filter' }).click();
    await admin.getByRole('link', { name: 'Spam' }).waitFor();
    await admin.getByText('Ignore the message', { exact: true }).waitFor();

    await nav.getByRole('link', { name: 'Received mail' }).click();
    await admin.getByText('The quarantine is empty: every message was processed.').waitFor();
    await expectAccessible(admin, 'received mail');
    await adminContext.close();
  });
});
