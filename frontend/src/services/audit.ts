import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** One administrative change. */
export type AuditEntry = components['schemas']['AuditEntryResponse'];

/** Filters of the audit log; all given ones must match. */
export interface AuditFilter {
  actor_id?: number;
  user_id?: number;
  entity?: string;
  entity_id?: number;
  action?: string;
  /** RFC 3339, inclusive. */
  from?: string;
  /** RFC 3339, exclusive. */
  until?: string;
}

/** The kinds of thing the log records, for the filter. */
export const AUDIT_ENTITIES = [
  'user',
  'group',
  'group_membership',
  'role',
  'role_grant',
  'role_membership',
  'queue',
  'two_factor',
  'setting',
] as const;

/** One page of the audit log, newest first (`GET /api/v1/audit-log`; administrators). */
export async function listAuditLog(filter: AuditFilter, cursor: string | null, limit: number): Promise<Page<AuditEntry>> {
  const query = { ...filter, limit, ...(cursor !== null && { cursor }) };
  const page = unwrap(await api.GET('/api/v1/audit-log', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** The filtered log as CSV text (`GET /api/v1/audit-log/export`). */
export async function exportAuditLog(filter: AuditFilter): Promise<string> {
  return unwrap(await api.GET('/api/v1/audit-log/export', { params: { query: filter }, parseAs: 'text' }));
}
