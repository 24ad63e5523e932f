import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A salutation or a signature: a named template that queues' mail settings choose. */
export type ReplyTemplate = components['schemas']['ReplyTemplateResponse'];
/** A new salutation or signature. */
export type NewReplyTemplate = components['schemas']['CreateReplyTemplateRequest'];
/** Changes to a salutation or signature. */
export type ReplyTemplateChanges = components['schemas']['UpdateReplyTemplateRequest'];
/** Which kind of template: the opening or the closing of a reply. */
export type ReplyTemplateKind = 'salutations' | 'signatures';

/** The salutations or signatures, by name. */
export async function listReplyTemplates(kind: ReplyTemplateKind): Promise<ReplyTemplate[]> {
  return unwrap(await api.GET(`/api/v1/${kind}`)).items;
}

/** Creates a salutation or signature (administrators); unknown variables are refused. */
export async function createReplyTemplate(kind: ReplyTemplateKind, input: NewReplyTemplate): Promise<ReplyTemplate> {
  return unwrap(await api.POST(`/api/v1/${kind}`, { body: input }));
}

/** Changes a salutation or signature (administrators). */
export async function updateReplyTemplate(kind: ReplyTemplateKind, id: number, changes: ReplyTemplateChanges): Promise<ReplyTemplate> {
  return unwrap(await api.PATCH(`/api/v1/${kind}/{id}`, { params: { path: { id } }, body: changes }));
}

/** Deletes a salutation or signature (administrators); one a queue still uses is refused. */
export async function deleteReplyTemplate(kind: ReplyTemplateKind, id: number): Promise<void> {
  expectOk(await api.DELETE(`/api/v1/${kind}/{id}`, { params: { path: { id } } }));
}
