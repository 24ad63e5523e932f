import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** An IMAP/POP3 account that is polled for mail (its password is never sent back). */
export type MailAccount = components['schemas']['MailAccountResponse'];
/** A new account, or all fields of a changed one (omit `password` to keep it). */
export type MailAccountInput = components['schemas']['MailAccountRequest'];
/** A postmaster filter: conditions on a message and what to do with its ticket. */
export type PostmasterFilter = components['schemas']['PostmasterFilterResponse'];
/** A new filter, or all fields of a changed one. */
export type PostmasterFilterInput = components['schemas']['PostmasterFilterRequest'];
/** One condition of a filter. */
export type FilterCondition = components['schemas']['FilterConditionDto'];
/** What a filter does. */
export type FilterActions = components['schemas']['FilterActionsDto'];
/** A received message (the quarantine is the `quarantined` ones). */
export type MailMessage = components['schemas']['MailMessageResponse'];
/** What became of a message processed (again). */
export type InboundResult = components['schemas']['InboundResponse'];
/** A queue's mail settings (sender name, follow-ups, auto-reply, salutation, signature). */
export type QueueMailSettings = components['schemas']['QueueMailSettingsDto'];

/** The statuses of a received message. */
export const MAIL_STATUSES = ['pending', 'processed', 'quarantined', 'ignored', 'deleted'] as const;
/** One of {@link MAIL_STATUSES}. */
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** All mail accounts, by name (`GET /api/v1/mail-accounts`; administrators). */
export async function listMailAccounts(): Promise<MailAccount[]> {
  return unwrap(await api.GET('/api/v1/mail-accounts')).items;
}

/** One mail account. */
export async function getMailAccount(id: number): Promise<MailAccount> {
  return unwrap(await api.GET('/api/v1/mail-accounts/{id}', { params: { path: { id } } }));
}

/** Creates a mail account; it is polled at once (`POST /api/v1/mail-accounts`). */
export async function createMailAccount(input: MailAccountInput): Promise<MailAccount> {
  return unwrap(await api.POST('/api/v1/mail-accounts', { body: input }));
}

/** Replaces a mail account, all fields (`PUT /api/v1/mail-accounts/{id}`); polled again at once. */
export async function updateMailAccount(id: number, input: MailAccountInput): Promise<MailAccount> {
  return unwrap(await api.PUT('/api/v1/mail-accounts/{id}', { params: { path: { id } }, body: input }));
}

/** Deletes a mail account; its messages stay (`DELETE /api/v1/mail-accounts/{id}`). */
export async function deleteMailAccount(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/mail-accounts/{id}', { params: { path: { id } } }));
}

/** Queues a poll of the account now (`POST /api/v1/mail-accounts/{id}/poll`, 202). */
export async function pollMailAccount(id: number): Promise<MailAccount> {
  return unwrap(await api.POST('/api/v1/mail-accounts/{id}/poll', { params: { path: { id } } }));
}

/** All postmaster filters in the order they apply (`GET /api/v1/postmaster-filters`). */
export async function listPostmasterFilters(): Promise<PostmasterFilter[]> {
  return unwrap(await api.GET('/api/v1/postmaster-filters')).items;
}

/** Creates a filter (`POST /api/v1/postmaster-filters`). */
export async function createPostmasterFilter(input: PostmasterFilterInput): Promise<PostmasterFilter> {
  return unwrap(await api.POST('/api/v1/postmaster-filters', { body: input }));
}

/** Replaces a filter, all fields (`PUT /api/v1/postmaster-filters/{id}`). */
export async function updatePostmasterFilter(id: number, input: PostmasterFilterInput): Promise<PostmasterFilter> {
  return unwrap(await api.PUT('/api/v1/postmaster-filters/{id}', { params: { path: { id } }, body: input }));
}

/** Deletes a filter (`DELETE /api/v1/postmaster-filters/{id}`). */
export async function deletePostmasterFilter(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/postmaster-filters/{id}', { params: { path: { id } } }));
}

/** One page of received messages, newest first (`GET /api/v1/mail/messages?status=`). */
export async function listMailMessages(
  status: MailStatus | null,
  cursor: string | null,
  limit: number,
): Promise<Page<MailMessage>> {
  const query = { limit, ...(cursor !== null && { cursor }), ...(status !== null && { status }) };
  const page = unwrap(await api.GET('/api/v1/mail/messages', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** Processes a quarantined message again (`POST /api/v1/mail/messages/{id}/retry`; 409 `not_quarantined`). */
export async function retryMailMessage(id: number): Promise<InboundResult> {
  return unwrap(await api.POST('/api/v1/mail/messages/{id}/retry', { params: { path: { id } } }));
}

/** Deletes a quarantined or ignored message's bytes (`DELETE /api/v1/mail/messages/{id}`). */
export async function deleteMailMessage(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/mail/messages/{id}', { params: { path: { id } } }));
}

/** The message exactly as it arrived (`GET /api/v1/mail/messages/{id}/raw`, `message/rfc822`). */
export async function downloadRawMessage(id: number): Promise<Blob> {
  const result = await api.GET('/api/v1/mail/messages/{id}/raw', { params: { path: { id } }, parseAs: 'blob' });
  return unwrap(result);
}

/** A queue's mail settings; defaults when never saved (`GET /api/v1/queues/{id}/mail-settings`). */
export async function getQueueMailSettings(queueId: number): Promise<QueueMailSettings> {
  return unwrap(await api.GET('/api/v1/queues/{id}/mail-settings', { params: { path: { id: queueId } } }));
}

/** Replaces a queue's mail settings (`PUT /api/v1/queues/{id}/mail-settings`). */
export async function setQueueMailSettings(queueId: number, settings: QueueMailSettings): Promise<QueueMailSettings> {
  return unwrap(
    await api.PUT('/api/v1/queues/{id}/mail-settings', { params: { path: { id: queueId } }, body: settings }),
  );
}
