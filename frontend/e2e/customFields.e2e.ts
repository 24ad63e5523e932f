// Custom fields in the browser: an administrator defines a dropdown with the option editor;
// a required field of a queue blocks a new ticket there with its message beside the field,
// and the values show on the ticket; the queue view shows the dropdown as a column and sorts
// by it; the bulk panel sets it, and a ticket of a queue it is not for is refused by name. Everything lives in a queue of its own ("Hardware"), so
// the other end-to-end files (same server) never meet these fields.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, chooseOption, expectAccessible, fieldError, launchBrowser, newContext, screenshot, signIn } from './support';

describe.skipIf(!inject('chromium'))('custom fields in the browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let queueId = 0;
  const fieldIds: number[] = [];

  beforeAll(async () => {
    token = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const queue = await callApi('POST', '/api/v1/queues', { token, body: { name: 'Hardware', group_id: 1 } });
    expect(queue.status).toBe(201);
    queueId = Number(queue.body?.id);
    const serial = await callApi('POST', '/api/v1/custom-fields', {
      token,
      body: {
        object_type: 'ticket',
        key: 'serial',
        field_type: 'text',
        labels: { en: 'Serial number', nb: 'Serienummer', nl: 'Serienummer', de: 'Seriennummer' },
        required: true,
        queue_ids: [queueId],
        position: 1,
      },
    });
    expect(serial.status).toBe(201);
    fieldIds.push(Number(serial.body?.id));
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    // Retire the fields, so that nothing else on this server is asked for them.
    for (const id of fieldIds) await callApi('PATCH', `/api/v1/custom-fields/${id}`, { token, body: { active: false } });
    await browser.close();
  });

  it('an administrator defines a dropdown with its options for one queue', async () => {
    await page.goto('/admin/custom-fields/new');
    await page.getByRole('heading', { level: 1, name: 'New field' }).waitFor();
    await page.getByLabel(/^Key/).fill('product');
    await page.getByLabel(/^Label \(English\)/).fill('Product');
    await page.getByLabel(/^Label \(Norwegian\)/).fill('Produkt');
    await page.getByRole('combobox', { name: 'Type', exact: true }).click();
    await page.getByRole('option', { name: 'Dropdown (one option)' }).click();
    for (const [value, label] of [
      ['laptop', 'Laptop'],
      ['printer', 'Printer'],
    ] as const) {
      await page.getByRole('button', { name: 'Add option' }).click();
      await page.getByLabel('Value', { exact: true }).last().fill(value);
      await page.getByLabel('Label', { exact: true }).last().fill(label);
    }
    await page.getByRole('button', { name: 'Move printer up' }).click();
    expect(await page.getByLabel('Value', { exact: true }).first().inputValue()).toBe('printer');
    await page.getByLabel('Only in these queues').first().click();
    await page.getByRole('option', { name: 'Hardware' }).click();
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'custom field form with options');
    await screenshot(page, '60-custom-field-form');
    await page.getByRole('button', { name: 'Create field' }).click();
    await page.getByRole('heading', { level: 1, name: 'Field product' }).waitFor();
    fieldIds.push(Number(new URL(page.url()).pathname.split('/').pop()));
    await page.goto('/admin/custom-fields');
    await page.getByRole('link', { name: 'Product' }).waitFor();
    await page.getByRole('link', { name: 'Serial number' }).waitFor();
    await expectAccessible(page, 'custom field list');
  });

  it('a required field blocks a new ticket in its queue, with the message beside the field', async () => {
    await page.goto(`/agent/tickets/new?queue_id=${queueId}`);
    await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
    await page.getByLabel(/^Title/).fill('Laptop does not boot');
    await page.getByLabel(/^What the customer said/).fill('Black screen after the logo.');
    await page.getByLabel(/^Serial number/).waitFor();
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await expect.poll(() => fieldError(page, /^Serial number/)).toContain('This field is required.');
    expect(page.url()).toContain('/agent/tickets/new');
    await expectAccessible(page, 'new ticket with a missing required field');
    await screenshot(page, '61-required-field');
    await page.getByLabel(/^Serial number/).fill('SN-4711');
    await page.getByRole('combobox', { name: 'Product', exact: true }).click();
    await page.getByRole('option', { name: 'Laptop' }).click();
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.getByRole('heading', { level: 1, name: 'Laptop does not boot' }).waitFor();
    const properties = page.getByRole('region', { name: 'Properties' });
    expect(await properties.getByLabel(/^Serial number/).inputValue()).toBe('SN-4711');
    expect(await properties.getByRole('combobox', { name: 'Product', exact: true }).inputValue()).toBe('Laptop');
    await expectAccessible(page, 'ticket with custom fields');
  });

  it('filters the queue view by the dropdown, in the address bar', async () => {
    await page.goto(`/agent/tickets?state_type=all&queue_id=${queueId}`);
    await page.getByRole('combobox', { name: 'Product', exact: true }).click();
    await page.getByRole('option', { name: 'Printer' }).click();
    await page.waitForURL(/cf\.product=printer/);
    await page.getByText('Laptop does not boot').waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Product', exact: true }).click();
    await page.getByRole('option', { name: 'Laptop' }).click();
    await page.waitForURL(/cf\.product=laptop/);
    await page.getByRole('link', { name: 'Laptop does not boot' }).waitFor();
    await expectAccessible(page, 'queue view filtered by a custom field');
  });

  /** Creates a ticket through the API; returns its JSON. */
  async function ticket(title: string, queue: number, customer: string, fields: Record<string, string>) {
    const created = await callApi('POST', '/api/v1/tickets', {
      token,
      body: { title, queue_id: queue, customer_email: customer, article: { body: `${title}.` }, custom_fields: fields },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; number: string; customer: { id: number } };
  }

  it('shows the dropdown as a column of the queue view, typed, and sorts by it', async () => {
    await ticket('Printer jams', queueId, 'cf-columns@example.org', { serial: 'SN-1', product: 'printer' });
    await page.goto(`/agent/tickets?state_type=all&queue_id=${queueId}`);
    await page.getByRole('link', { name: 'Printer jams' }).waitFor();
    await page.getByRole('combobox', { name: 'Field columns' }).click();
    await page.getByRole('option', { name: 'Product' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/columns=product/);
    const header = page.getByRole('columnheader', { name: 'Product' });
    await header.waitFor();
    const shown = () => page.locator('[data-field="product"]').allTextContents();
    await header.getByRole('button').click();
    await page.waitForURL(/sort=cf\.product/);
    await expect.poll(shown).toEqual(['Laptop', 'Printer']);
    await header.getByRole('button').click();
    await page.waitForURL(/sort=-cf\.product/);
    await expect.poll(shown).toEqual(['Printer', 'Laptop']);
    await expectAccessible(page, 'queue view with a custom field column');
    await screenshot(page, '64-custom-field-column');
  });

  it('bulk-sets the dropdown; the ticket of a queue it is not for is refused, naming the field', async () => {
    const customer = 'cf-bulk@example.org';
    const hardware = await ticket('Scanner offline', queueId, customer, { serial: 'SN-2' });
    const general = await ticket('Coffee machine', 1, customer, {});
    await page.goto(`/agent/tickets?state_type=all&customer_id=${hardware.customer.id}`);
    await page.getByRole('link', { name: 'Coffee machine' }).waitFor();
    await page.getByRole('link', { name: 'Scanner offline' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all tickets on this page' }).check();
    const panel = page.getByRole('region', { name: '2 tickets selected' });
    await panel.waitFor();
    const fields = panel.getByRole('group', { name: 'Custom fields' });
    await chooseOption(page, fields.getByRole('combobox', { name: 'Product', exact: true }), 'Printer');
    await panel.getByRole('button', { name: 'Change 2 tickets' }).click();
    // The refused ticket stays selected; the panel keeps the results.
    const after = page.getByRole('region', { name: '1 ticket selected' });
    await after.getByRole('status').filter({ hasText: '1 changed, 0 not allowed, 1 refused.' }).waitFor({ timeout: 60_000 });
    const problem = after.getByRole('listitem').filter({ hasText: general.number });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('(Product: does not apply');
    await expectAccessible(page, 'bulk panel with a refused custom field');
    await screenshot(page, '65-bulk-custom-field');
    const changed = await callApi('GET', `/api/v1/tickets/${hardware.id}`, { token });
    expect((changed.body as { custom_fields: Record<string, unknown> }).custom_fields.product).toBe('printer');
    const refused = await callApi('GET', `/api/v1/tickets/${general.id}`, { token });
    expect((refused.body as { custom_fields: Record<string, unknown> }).custom_fields.product).toBeUndefined();
  }, 120_000);
});
