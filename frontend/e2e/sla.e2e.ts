// SLAs and notifications in the browser: an administrator sets up a calendar, an SLA, a queue
// default, services, notification rules and texts; a ticket of that queue shows its SLA
// countdown in the lists; an agent chooses their notifications. Real Chromium, real server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, expectAccessible, fieldError, launchBrowser, newContext, screenshot, signIn } from './support';

const AGENT = { name: 'Sara Slaberg', email: 'sara.slaberg@example.org', password: 'sara agent passphrase' };
const CALENDAR = 'Bergen office hours';
const SLA = 'Gold support';
const QUEUE = 'Service desk';

describe.skipIf(!inject('chromium'))('SLAs and notifications in the browser', () => {
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let adminToken: string;
  let queueId = 0;
  let ticketNumber = '';
  let urgentNumber = '';

  beforeAll(async () => {
    adminToken = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const agent = await callApi('POST', '/api/v1/users', { token: adminToken, body: { name: AGENT.name, email: AGENT.email, password: AGENT.password } });
    expect(agent.status).toBe(201);
    const member = await callApi('PUT', `/api/v1/groups/1/members/${Number(agent.body?.id)}`, { token: adminToken, body: { rights: ['rw'] } });
    expect(member.status).toBe(200);
    const queue = await callApi('POST', '/api/v1/queues', { token: adminToken, body: { name: QUEUE, group_id: 1 } });
    expect(queue.status).toBe(201);
    queueId = Number(queue.body?.id);
    // A ticket that escalates a minute from now (a round-the-clock calendar, a one-minute
    // target): by the last test it is overdue and on the dashboard's escalated list.
    const always = await callApi('POST', '/api/v1/calendars', {
      token: adminToken,
      body: {
        name: 'Round the clock',
        time_zone: 'UTC',
        working_hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, ['00:00-12:00', '12:00-00:00']])),
      },
    });
    expect(always.status).toBe(201);
    const minute = await callApi('POST', '/api/v1/slas', {
      token: adminToken,
      body: { name: 'One minute', calendar_id: Number(always.body?.id), first_response_minutes: 1 },
    });
    expect(minute.status).toBe(201);
    const hotline = await callApi('POST', '/api/v1/queues', { token: adminToken, body: { name: 'Hotline', group_id: 1 } });
    expect(hotline.status).toBe(201);
    const hotlineSla = await callApi('PUT', `/api/v1/queues/${Number(hotline.body?.id)}/sla`, { token: adminToken, body: { sla_id: Number(minute.body?.id) } });
    expect(hotlineSla.status).toBe(200);
    const urgent = await callApi('POST', '/api/v1/tickets', {
      token: adminToken,
      body: { title: 'Server room is flooding', queue_id: Number(hotline.body?.id), article: { body: 'Water under the racks.' } },
    });
    expect(urgent.status).toBe(201);
    urgentNumber = String(urgent.body?.number);
    browser = await launchBrowser();
    admin = await newContext(browser);
    page = await admin.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser.close();
  });

  it('an administrator creates a calendar; an overlapping range is refused beside it', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Calendars' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendars' }).waitFor();
    await page.getByRole('link', { name: 'New calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'New calendar' }).waitFor();
    await page.getByLabel(/^Name/).fill(CALENDAR);
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.click();
    await zone.fill('Oslo');
    await page.getByRole('option', { name: 'Europe/Oslo' }).click();
    // Monday gets a second range that overlaps the first: the server names the day.
    await page.getByRole('button', { name: 'Add a range to Monday' }).click();
    await page.getByLabel('Monday, range 2, from').fill('15:00');
    await page.getByLabel('Monday, range 2, to').fill('17:00');
    await page.getByRole('button', { name: 'Add a holiday' }).click();
    await page.getByLabel('Holiday 1 every year').check();
    await page.getByLabel('Holiday 1, month and day').fill('12-25');
    await page.getByRole('button', { name: 'Create calendar' }).click();
    await page.getByText('These working hours overlap').waitFor();
    await expectAccessible(page, 'calendar form with an error');
    await screenshot(page, '60-calendar-error');

    await page.getByLabel('Monday, range 2, from').fill('16:30');
    await page.getByLabel('Monday, range 2, to').fill('18:00');
    await page.getByRole('button', { name: 'Create calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendars' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: CALENDAR });
    await row.getByText('Europe/Oslo').waitFor();
    await row.getByText('12-25').waitFor();
    await expectAccessible(page, 'calendars');
    await screenshot(page, '61-calendars');

    const calendars = await callApi('GET', '/api/v1/calendars', { token: adminToken });
    const stored = (calendars.body?.items as { name: string; working_hours: Record<string, string[]> }[]).find((c) => c.name === CALENDAR);
    expect(stored?.working_hours.mon).toEqual(['08:00-16:00', '16:30-18:00']);
    expect(stored?.working_hours.tue).toEqual(['08:00-16:00']);
    expect(stored?.working_hours.sat ?? []).toEqual([]);
  });

  it('creates an SLA on that calendar and makes it the queue default', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'SLAs' }).click();
    await page.getByRole('link', { name: 'New SLA' }).click();
    await page.getByLabel(/^Name/).fill(SLA);
    await page.getByRole('combobox', { name: 'Calendar' }).click();
    await page.getByRole('option', { name: `${CALENDAR} (Europe/Oslo)` }).click();
    await page.getByLabel('First response (minutes)').fill('120');
    await page.getByLabel('Solution (minutes)').fill('2400');
    await page.getByText('1 d 16 h').waitFor(); // 2400 minutes, spelled out beside the field
    await expectAccessible(page, 'SLA form');
    await page.getByRole('button', { name: 'Create SLA' }).click();
    await page.getByRole('heading', { level: 1, name: 'SLAs' }).waitFor();
    await page.getByRole('row').filter({ hasText: SLA }).getByText('2 h').waitFor();
    await expectAccessible(page, 'SLAs');

    await page.getByRole('navigation').getByRole('link', { name: 'Queues' }).last().click();
    await page.getByRole('link', { name: QUEUE, exact: true }).click();
    const section = page.getByRole('region', { name: 'Default SLA' });
    await section.getByRole('combobox', { name: 'SLA' }).click();
    await page.getByRole('option', { name: SLA }).click();
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expectAccessible(page, 'queue form with its SLA');
    await screenshot(page, '62-queue-sla');

    const slas = await callApi('GET', '/api/v1/slas', { token: adminToken });
    const gold = (slas.body?.items as { id: number; name: string; queue_ids: number[] }[]).find((s) => s.name === SLA);
    expect(gold?.queue_ids).toEqual([queueId]);
    const queueSla = await callApi('GET', `/api/v1/queues/${queueId}/sla`, { token: adminToken });
    expect(queueSla.body?.sla_id).toBe(gold?.id);
  });

  it('builds a service tree with an SLA', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Services' }).click();
    const form = page.getByRole('region', { name: 'New service' });
    await form.getByLabel(/^Name/).fill('IT');
    await form.getByRole('button', { name: 'Create service' }).click();
    await page.getByRole('row').filter({ hasText: 'IT' }).waitFor();
    await form.getByLabel(/^Name/).fill('Printing');
    await form.getByRole('combobox', { name: 'Parent service' }).click();
    await page.getByRole('option', { name: 'IT', exact: true }).click();
    await form.getByRole('combobox', { name: 'SLA' }).click();
    await page.getByRole('option', { name: SLA }).click();
    await form.getByRole('button', { name: 'Create service' }).click();
    await page.getByRole('row').filter({ hasText: 'IT::Printing' }).getByText(SLA).waitFor();
    await expectAccessible(page, 'services');
    await screenshot(page, '63-services');
  });

  it('a ticket in the queue shows its SLA countdown in the lists, and its service can be set', async () => {
    const created = await callApi('POST', '/api/v1/tickets', {
      token: adminToken,
      body: { title: 'Laptop does not start', queue_id: queueId, article: { body: 'Black screen since this morning.' } },
    });
    expect(created.status).toBe(201);
    ticketNumber = String(created.body?.number);
    expect(created.body?.escalation_at).toBeTruthy();

    const agent = await newContext(browser);
    const agentPage = await agent.newPage();
    await signIn(agentPage, AGENT.email, AGENT.password);
    await agentPage.getByRole('heading', { level: 2, name: /^Escalated/ }).waitFor();
    await agentPage.goto(`/agent/tickets?queue_id=${queueId}`);
    const row = agentPage.getByRole('row').filter({ hasText: 'Laptop does not start' });
    const badge = row.locator('[data-sla]:visible'); // the phone layout has its own copy under the title
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^SLA: \d.* (left|Overdue)|^SLA: Overdue/);
    expect(await badge.getAttribute('title')).toMatch(/^Deadline /);
    await expectAccessible(agentPage, 'queue view with SLA badges');
    await screenshot(agentPage, '64-queue-sla-badges');

    await agentPage.goto(`/agent/tickets/${ticketNumber}`);
    const properties = agentPage.getByRole('region', { name: 'Properties' });
    await properties.getByRole('combobox', { name: 'Service' }).click();
    await agentPage.getByRole('option', { name: 'IT::Printing' }).click();
    await properties.getByRole('button', { name: 'Save changes' }).click();
    await agentPage.getByText(SLA).first().waitFor();
    const ticket = await callApi('GET', `/api/v1/tickets/${ticketNumber}`, { token: adminToken });
    expect((ticket.body?.service as { name: string } | null)?.name).toBe('IT::Printing');
    await agent.close();
  });

  it('notification rules and texts: an unknown variable is refused beside its field', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Notification rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification rules' }).waitFor();
    await page.getByRole('checkbox', { name: 'Ticket moved into my queue: email by default' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expectAccessible(page, 'notification rules');
    await screenshot(page, '65-notification-rules');
    const rules = await callApi('GET', '/api/v1/notification-rules', { token: adminToken });
    expect((rules.body?.items as { event: string; email: boolean }[]).find((r) => r.event === 'queue_moved')?.email).toBe(false);

    await page.getByRole('navigation').getByRole('link', { name: 'Notification texts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification texts' }).waitFor();
    await page.locator('label').filter({ hasText: 'Deutsch' }).click();
    expect(await page.getByRole('radio', { name: 'Deutsch' }).isChecked()).toBe(true);
    const subject = page.getByLabel(/^Subject/);
    await expect.poll(() => subject.inputValue()).not.toBe('');
    await subject.fill('Neues Ticket {{ticket_number}} von {{kunde}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('This template uses a variable that does not exist.').waitFor();
    expect(await fieldError(page, /^Subject/)).toContain('a variable that does not exist');
    await expectAccessible(page, 'notification texts with an error');
    await screenshot(page, '66-notification-texts');
    await subject.fill('Neues Ticket {{ticket_number}} von {{customer}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await callApi('GET', '/api/v1/notification-templates/ticket_created/de', { token: adminToken });
    expect(stored.body?.subject).toBe('Neues Ticket {{ticket_number}} von {{customer}}');
  });

  it('an agent changes a notification preference, and it stays after a reload', async () => {
    const agent = await newContext(browser);
    const agentPage = await agent.newPage();
    await signIn(agentPage, AGENT.email, AGENT.password);
    await agentPage.goto('/agent/profile');
    const section = agentPage.getByRole('region', { name: 'Notifications' });
    const email = section.getByRole('checkbox', { name: 'Customer follow-up by email' });
    await email.waitFor();
    expect(await email.isChecked()).toBe(true);
    await email.uncheck();
    await section.getByRole('button', { name: 'Save notifications' }).click();
    await section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expectAccessible(agentPage, 'profile with notification preferences');
    await screenshot(agentPage, '67-notification-preferences');

    await agentPage.reload();
    const again = agentPage.getByRole('region', { name: 'Notifications' }).getByRole('checkbox', { name: 'Customer follow-up by email' });
    await again.waitFor();
    expect(await again.isChecked()).toBe(false);
    expect(await agentPage.getByRole('checkbox', { name: 'Customer follow-up in the app' }).isChecked()).toBe(true);
    await agentPage.getByRole('button', { name: 'Use the default for Customer follow-up' }).waitFor();
    await agent.close();
  });

  it('an overdue ticket leads the dashboard as escalated, with its overdue badge', async () => {
    // Wait for the one-minute deadline (the other tests used most of it).
    await expect
      .poll(
        async () => {
          const list = await callApi('GET', '/api/v1/tickets?escalated=true&sort=escalation_at', { token: adminToken });
          return (list.body?.items as { number: string }[]).map((ticket) => ticket.number);
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toContain(urgentNumber);
    const agent = await newContext(browser);
    const agentPage = await agent.newPage();
    await signIn(agentPage, AGENT.email, AGENT.password);
    const escalated = agentPage.getByRole('region', { name: /^Escalated/ });
    const item = escalated.getByRole('listitem').filter({ hasText: 'Server room is flooding' });
    await item.waitFor();
    expect(await item.locator('[data-sla]').textContent()).toMatch(/^SLA: Overdue /);
    expect(await item.locator('[data-sla]').getAttribute('data-sla')).toBe('breached');
    await expectAccessible(agentPage, 'dashboard with an escalated ticket');
    await screenshot(agentPage, '68-dashboard-escalated');
    await escalated.getByRole('link', { name: 'Show all: Escalated' }).click();
    await agentPage.waitForURL(/escalated=true/);
    expect(await agentPage.getByRole('checkbox', { name: 'Escalated only' }).isChecked()).toBe(true);
    await agentPage.getByRole('row').filter({ hasText: 'Server room is flooding' }).waitFor();
    await agent.close();
  }, 120_000);
});
