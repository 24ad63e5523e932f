import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { multipartBody } from './tickets';

/** A knowledge-base article as the caller sees it. */
export type KbArticle = components['schemas']['KbArticleResponse'];
/** A knowledge-base category. */
export type KbCategory = components['schemas']['KbCategoryResponse'];
/** A published version of an article. */
export type KbVersion = components['schemas']['KbVersionResponse'];
/** A new article. */
export type NewKbArticle = components['schemas']['CreateKbArticleRequest'];
/** Changes to an article. */
export type KbArticleChanges = components['schemas']['UpdateKbArticleRequest'];
/** A text module. */
export type TextModule = components['schemas']['TextModuleResponse'];
/** Who may read an article. */
export type KbVisibility = components['schemas']['VisibilityDto'];
/** Where an article stands. */
export type KbState = components['schemas']['KbStateDto'];

/** Filters of the article list. */
export interface KbFilter {
  q?: string;
  category_id?: number;
  language?: string;
}

/** The categories the caller may browse, in tree order. */
export async function listKbCategories(): Promise<KbCategory[]> {
  return unwrap(await api.GET('/api/v1/kb/categories')).items;
}

/** A page of articles: ranked with snippets when `q` is given, else newest change first. */
export async function listKbArticles(filter: KbFilter, limit = 50): Promise<KbArticle[]> {
  const query = { limit, ...filter, ...(filter.q?.trim() ? { q: filter.q.trim() } : { q: undefined }) };
  return unwrap(await api.GET('/api/v1/kb/articles', { params: { query } })).items;
}

/** One article (counts a view when published). */
export async function getKbArticle(id: number): Promise<KbArticle> {
  return unwrap(await api.GET('/api/v1/kb/articles/{id}', { params: { path: { id } } }));
}

/** Writes a new article (`rw` on the category's group). */
export async function createKbArticle(input: NewKbArticle): Promise<KbArticle> {
  return unwrap(await api.POST('/api/v1/kb/articles', { body: input }));
}

/** Changes an article; publishing or changing a published one makes a version. */
export async function updateKbArticle(id: number, changes: KbArticleChanges): Promise<KbArticle> {
  return unwrap(await api.PATCH('/api/v1/kb/articles/{id}', { params: { path: { id } }, body: changes }));
}

/** An article's versions, newest first. */
export async function listKbVersions(id: number): Promise<KbVersion[]> {
  return unwrap(await api.GET('/api/v1/kb/articles/{id}/versions', { params: { path: { id } } })).items;
}

/** Makes an old version current. */
export async function restoreKbVersion(id: number, version: number): Promise<KbArticle> {
  return unwrap(await api.POST('/api/v1/kb/articles/{id}/versions/{version}/restore', { params: { path: { id, version } } }));
}

/** Votes an article helpful or not. */
export async function voteKbArticle(id: number, helpful: boolean): Promise<void> {
  expectOk(await api.POST('/api/v1/kb/articles/{id}/vote', { params: { path: { id } }, body: { helpful } }));
}

/** Published articles matching the words of a text (a ticket, or what a customer writes). */
export async function suggestKbArticles(text: string, limit = 5): Promise<KbArticle[]> {
  return unwrap(await api.GET('/api/v1/kb/suggestions', { params: { query: { text, limit } } })).items;
}

/** Records that the customer read an article while writing a ticket and left without sending. */
export async function recordKbDeflection(id: number): Promise<void> {
  expectOk(await api.POST('/api/v1/kb/articles/{id}/deflection', { params: { path: { id } } }));
}

/** The text modules offered for a queue, matching `q`. */
export async function listTextModules(q: string, queueId?: number): Promise<TextModule[]> {
  const query = { ...(q.trim() ? { q: q.trim() } : {}), ...(queueId ? { queue_id: queueId } : {}) };
  return unwrap(await api.GET('/api/v1/text-modules', { params: { query } })).items;
}

/** A text module filled in for a ticket. */
export async function renderTextModule(id: number, ticket: string): Promise<{ subject: string; body: string }> {
  return unwrap(await api.POST('/api/v1/text-modules/{id}/render', { params: { path: { id } }, body: { ticket } }));
}

/** A new category. */
export type NewKbCategory = components['schemas']['CreateKbCategoryRequest'];
/** A text module's fields. */
export type TextModuleInput = components['schemas']['TextModuleRequest'];

/** Creates a category (administrators). */
export async function createKbCategory(input: NewKbCategory): Promise<KbCategory> {
  return unwrap(await api.POST('/api/v1/kb/categories', { body: input }));
}

/** Deletes an empty category (administrators). */
export async function deleteKbCategory(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/kb/categories/{id}', { params: { path: { id } } }));
}

/** Creates a text module (administrators); unknown variables are refused. */
export async function createTextModule(input: TextModuleInput): Promise<TextModule> {
  return unwrap(await api.POST('/api/v1/text-modules', { body: input }));
}

/** Deletes a text module (administrators). */
export async function deleteTextModule(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/text-modules/{id}', { params: { path: { id } } }));
}

/** Changes to a category. */
export type KbCategoryChanges = components['schemas']['UpdateKbCategoryRequest'];
/** A file of an article. */
export type KbAttachment = components['schemas']['KbAttachmentDto'];

/** Changes a category (administrators): name, group, parent, description, order. */
export async function updateKbCategory(id: number, changes: KbCategoryChanges): Promise<KbCategory> {
  return unwrap(await api.PATCH('/api/v1/kb/categories/{id}', { params: { path: { id } }, body: changes }));
}

/** Replaces a text module's fields (administrators); unknown variables are refused. */
export async function updateTextModule(id: number, input: TextModuleInput): Promise<TextModule> {
  return unwrap(await api.PUT('/api/v1/text-modules/{id}', { params: { path: { id } }, body: input }));
}

/** Adds files to an article (`rw`), as a multipart upload. */
export async function addKbAttachments(id: number, files: readonly File[]): Promise<KbAttachment[]> {
  const body = multipartBody('upload', {}, files) as unknown as components['schemas']['AddKbAttachmentsRequest'];
  return unwrap(await api.POST('/api/v1/kb/articles/{id}/attachments', { params: { path: { id } }, body })).items;
}

/** Removes a file from an article (`rw`). */
export async function deleteKbAttachment(id: number, attachmentId: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/kb/articles/{id}/attachments/{attachment_id}', { params: { path: { id, attachment_id: attachmentId } } }));
}

/** The content of an article's file. */
export async function downloadKbAttachment(id: number, attachmentId: number): Promise<Blob> {
  return unwrap(
    await api.GET('/api/v1/kb/articles/{id}/attachments/{attachment_id}', {
      params: { path: { id, attachment_id: attachmentId } },
      parseAs: 'blob',
    }),
  );
}
