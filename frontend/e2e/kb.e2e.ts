// The knowledge base and text modules in real Chromium against a real `vakt serve`: an agent
// answers with a text module found by `::` and a KB article link, a customer finds a public
// article in the portal and votes, an anonymous reader opens the public page, an agent writes an
// HTML article with a file and a translation, and the administrator edits the templates.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ADMIN_EMAIL, ADMIN_PASSWORD } from './credentials';
import { apiToken, callApi, chooseOption, expectAccessible, fieldError, launchBrowser, newContext, screenshot, signIn } from './support';

const AGENT = { name: 'Kai Kunnskap', email: 'kai.kunnskap@example.org', password: 'kai agent passphrase' };
const CUSTOMER = { name: 'Siri Spør', email: 'siri.spor@example.org', password: 'siri customer passphrase' };
const ARTICLE_TITLE = 'Resetting a forgotten VPN password';

describe.skipIf(!inject('chromium'))('knowledge base and text modules in the browser', () => {
  let browser: Browser;
  let adminToken: string;
  let articleUrl = '';
  let ticketNumber = '';

  beforeAll(async () => {
    adminToken = await apiToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    const agent = await callApi('POST', '/api/v1/users', { token: adminToken, body: { name: AGENT.name, email: AGENT.email, password: AGENT.password } });
    expect(agent.status).toBe(201);
    expect((await callApi('PUT', `/api/v1/groups/1/members/${Number(agent.body?.id)}`, { token: adminToken, body: { rights: ['rw'] } })).status).toBe(200);
    const customer = await callApi('POST', '/api/v1/customers', {
      token: adminToken,
      body: { name: CUSTOMER.name, email: CUSTOMER.email, password: CUSTOMER.password },
    });
    expect(customer.status).toBe(201);
    const category = await callApi('POST', '/api/v1/kb/categories', { token: adminToken, body: { name: 'Remote access', group_id: 1 } });
    expect(category.status).toBe(201);
    const article = await callApi('POST', '/api/v1/kb/articles', {
      token: adminToken,
      body: {
        category_id: Number(category.body?.id),
        title: ARTICLE_TITLE,
        language: 'en',
        body_text: 'Open the self-service page and choose "Forgot password".\n\nThe new password works after five minutes.',
        keywords: ['vpn', 'password'],
        visibility: 'public',
        state: 'published',
      },
    });
    expect(article.status).toBe(201);
    articleUrl = String(article.body?.url);
    const module = await callApi('POST', '/api/v1/text-modules', {
      token: adminToken,
      body: { name: 'VPN password reset', keywords: ['vpnreset'], body: 'Dear {{customer_name}},\n\nwe have reset the VPN password for ticket {{ticket_number}}.' },
    });
    expect(module.status).toBe(201);
    const ticket = await callApi('POST', '/api/v1/tickets', {
      token: adminToken,
      body: { title: 'VPN password forgotten', queue_id: 1, customer_email: CUSTOMER.email, article: { body: 'I forgot my VPN password.' } },
    });
    expect(ticket.status).toBe(201);
    ticketNumber = String(ticket.body?.number);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('an agent inserts a text module with :: and a KB article link, and sends the reply', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await signIn(page, AGENT.email, AGENT.password);
    await page.goto(`/agent/tickets/${ticketNumber}`);
    await page.getByRole('heading', { level: 1, name: 'VPN password forgotten' }).waitFor();
    const composer = page.getByRole('region', { name: 'Reply or note' });
    await composer.locator('label', { hasText: 'Reply to customer' }).click();
    // Suggested for the ticket's words.
    await composer.getByRole('link', { name: ARTICLE_TITLE }).waitFor();

    const message = composer.getByRole('textbox', { name: 'Message' });
    await message.click();
    await message.pressSequentially('::');
    const dialog = page.getByRole('dialog', { name: 'Insert text module or article' });
    await dialog.getByRole('textbox', { name: 'Search' }).fill('vpnreset');
    await dialog.getByText('VPN password reset').waitFor();
    await expectAccessible(page, 'text-module picker');
    await dialog.getByRole('textbox', { name: 'Search' }).press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => message.inputValue()).toContain(`Dear ${CUSTOMER.name},`);
    expect(await message.inputValue()).toContain(`for ticket ${ticketNumber}.`);

    await composer.getByRole('button', { name: 'insert link' }).click();
    expect(await message.inputValue()).toContain(`${ARTICLE_TITLE}: ${new URL(page.url()).origin}${articleUrl}`);
    await screenshot(page, '60-composer-with-module');
    await composer.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.getByRole('article', { name: `Reply from ${AGENT.name}` });
    await reply.getByText(`Dear ${CUSTOMER.name},`).waitFor();

    // What is sent to the customer is the filled-in text, no placeholder left.
    const articles = await callApi('GET', `/api/v1/tickets/${ticketNumber}/articles`, { token: adminToken });
    const sent = JSON.stringify(articles.body);
    expect(sent).toContain(`we have reset the VPN password for ticket ${ticketNumber}.`);
    expect(sent).not.toContain('{{');

    // "Create KB article from this ticket": a draft prefilled from the customer's message.
    await page.getByRole('link', { name: 'Create KB article' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    expect(await page.getByRole('textbox', { name: /^Text/ }).inputValue()).toContain('I forgot my VPN password.');
    await expectAccessible(page, 'KB draft from a ticket');
  });

  it('an agent browses the knowledge base and sees the versions of an article', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await signIn(page, AGENT.email, AGENT.password);
    await page.goto('/agent/kb');
    await page.getByRole('heading', { level: 1, name: 'Knowledge base' }).waitFor();
    await page.getByRole('textbox', { name: /^Search/ }).fill('forgot*');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: ARTICLE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: ARTICLE_TITLE }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Versions' }).waitFor();
    await page.getByRole('cell', { name: '1', exact: true }).waitFor();
    await expectAccessible(page, 'KB article editor');
    await screenshot(page, '61-kb-editor');
  });

  it('a customer finds the public article in the portal and votes', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await signIn(page, CUSTOMER.email, CUSTOMER.password);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Answers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Answers' }).waitFor();
    await page.getByRole('textbox', { name: 'Search' }).fill('vpn password');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: ARTICLE_TITLE }).waitFor();
    await page.mouse.move(0, 0); // not hovering the button (its hover shade is a contrast of its own)
    await expectAccessible(page, 'portal answers');
    await page.getByRole('link', { name: ARTICLE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: ARTICLE_TITLE }).waitFor();
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thank you for your feedback.').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'portal article');
    await screenshot(page, '62-portal-article');

    // While writing a new ticket, the portal suggests it.
    await page.goto('/portal/new');
    await page.getByLabel(/^Subject/).fill('VPN password does not work');
    await page.getByRole('heading', { name: 'These articles may answer your question' }).waitFor();
    await page.getByRole('link', { name: ARTICLE_TITLE }).waitFor();
  });

  it('an anonymous reader opens the public page without signing in', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await page.goto(articleUrl);
    await page.getByRole('heading', { level: 1, name: ARTICLE_TITLE }).waitFor();
    expect(await page.title()).toBe(`${ARTICLE_TITLE} · Knowledge base`);
    await page.getByText('The new password works after five minutes.').waitFor();
    await expectAccessible(page, 'public KB article');
    await page.goto('/kb?q=vpn');
    await page.getByRole('link', { name: ARTICLE_TITLE }).waitFor();
    await expectAccessible(page, 'public KB search');
    await screenshot(page, '63-public-kb');
  });

  it('an agent writes an HTML article with a file and a Dutch translation, and answers with it and its file', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await signIn(page, AGENT.email, AGENT.password);
    await page.goto('/agent/kb/new');
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await page.getByRole('textbox', { name: /^Title/ }).fill('Printing from a laptop');
    await chooseOption(page, page.getByRole('combobox', { name: /^Category/ }), 'Remote access');
    await page.getByText('HTML', { exact: true }).click();
    await page
      .getByRole('textbox', { name: 'Text (HTML)' })
      .fill('<h2>Steps</h2><ul><li>Open the <strong>print dialog</strong></li></ul><script>alert(1)</script>');
    // The preview shows the HTML in a sandboxed frame, as readers will see it.
    await page.frameLocator('[data-testid="kb-html"]').getByText('print dialog').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Printing from a laptop' }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const stored = await callApi('GET', `/api/v1/kb/articles/${id}`, { token: adminToken });
    expect(String(stored.body?.body_html)).toContain('<strong>print dialog</strong>');
    expect(String(stored.body?.body_html)).not.toContain('script');
    expect(String(stored.body?.body_text)).toContain('print dialog');

    // A file, uploaded and listed.
    const files = page.getByRole('region', { name: 'Files' });
    await files.locator('input[type="file"]').setInputFiles({ name: 'printer-setup.txt', mimeType: 'text/plain', buffer: Buffer.from('Queue: floor-2\n') });
    await files.getByRole('button', { name: 'Upload' }).click();
    await files.getByRole('button', { name: 'printer-setup.txt', exact: true }).waitFor();
    await expectAccessible(page, 'KB article with a file');

    // A Dutch translation joins the same entry.
    const translations = page.getByRole('region', { name: 'Translations' });
    await chooseOption(page, translations.getByRole('combobox', { name: 'Language of the translation' }), 'nl');
    await translations.getByRole('button', { name: 'Translate' }).click();
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await page.getByRole('textbox', { name: /^Title/ }).fill('Afdrukken vanaf een laptop');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Afdrukken vanaf een laptop' }).waitFor();
    await page.getByRole('region', { name: 'Translations' }).getByRole('link', { name: 'Printing from a laptop' }).waitFor();
    const translated = await callApi('GET', `/api/v1/kb/articles/${id}`, { token: adminToken });
    expect(translated.body?.translations).toEqual([expect.objectContaining({ language: 'nl', title: 'Afdrukken vanaf een laptop' })]);
    await screenshot(page, '64-kb-translation');

    // Inserted into a reply with its files, which go to the customer as attachments.
    await page.goto(`/agent/tickets/${ticketNumber}`);
    const composer = page.getByRole('region', { name: 'Reply or note' });
    await composer.locator('label', { hasText: 'Reply to customer' }).click();
    await composer.getByRole('button', { name: 'Insert text module or article' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert text module or article' });
    await dialog.getByText('Knowledge base', { exact: true }).click();
    await dialog.getByText('Text', { exact: true }).click();
    await dialog.getByRole('checkbox', { name: "Attach the article's files" }).check();
    await dialog.getByRole('textbox', { name: 'Search' }).fill('laptop');
    await dialog.getByRole('button', { name: /^Printing from a laptop/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await composer.getByText('printer-setup.txt').waitFor();
    await expect.poll(() => composer.getByRole('textbox', { name: 'Message' }).inputValue()).toContain('print dialog');
    await composer.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('article', { name: `Reply from ${AGENT.name}` }).last().getByText('printer-setup.txt').waitFor();
  });

  it('the administrator changes a text module and adds a signature, an unknown variable refused beside its field', async () => {
    const page: Page = await (await newContext(browser)).newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto('/admin/text-modules');
    await page.getByRole('button', { name: 'Edit VPN password reset' }).click();
    const form = page.getByRole('region', { name: 'Change text module VPN password reset' });
    await form.getByRole('textbox', { name: /^Text/ }).fill('Hello {{customer_name}}, your VPN password is reset.');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'New text module' }).waitFor();
    const modules = await callApi('GET', '/api/v1/text-modules?q=vpnreset', { token: adminToken });
    expect(JSON.stringify(modules.body)).toContain('Hello {{customer_name}}, your VPN password is reset.');

    await page.goto('/admin/reply-templates');
    const signatures = page.getByRole('region', { name: 'Signatures' });
    const add = signatures.getByRole('form', { name: 'Add signature' });
    await add.getByRole('textbox', { name: /^Name/ }).fill('Helpdesk');
    await add.getByRole('textbox', { name: /^Text/ }).fill('Kind regards,\n{{agent_nmae}}');
    await add.getByRole('button', { name: 'Add signature' }).click();
    await expect.poll(() => fieldError(page, /^Text/, add)).toMatch(/variable that does not exist/);
    await add.getByRole('textbox', { name: /^Text/ }).fill('Kind regards,\n{{agent_name}}');
    await add.getByRole('button', { name: 'Add signature' }).click();
    await signatures.getByRole('cell', { name: 'Helpdesk', exact: true }).waitFor();
    await expectAccessible(page, 'salutations and signatures');
    await screenshot(page, '65-reply-templates');
  });
});
