// Custom fields in the browser: an administrator defines a dropdown with the option editor;
// a required field of a queue blocks a new ticket there with its message beside the field,
// and the values show on the ticket. Everything lives in a queue of its own ("Hardware"), so
// the other end-to-end files (same server) never meet these fields.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, expectAccessible, fieldError, launchBrowser, newContext, screenshot, signIn } from './support';

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
});
