import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** A background job. */
export type Job = components['schemas']['JobResponse'];

/** The statuses of a job. */
export const JOB_STATUSES = ['queued', 'running', 'done', 'dead'] as const;
/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Filters of the job list. */
export interface JobFilter {
  status?: JobStatus;
  /** Kind, e.g. `send_mail`. */
  kind?: string;
}

/** One page of background jobs, newest first (`GET /api/v1/jobs`; administrators). */
export async function listJobs(filter: JobFilter, cursor: string | null, limit: number): Promise<Page<Job>> {
  const query = {
    limit,
    ...(cursor !== null && { cursor }),
    ...(filter.status && { status: filter.status }),
    ...(filter.kind && { kind: filter.kind }),
  };
  const page = unwrap(await api.GET('/api/v1/jobs', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** Puts a dead job back in the queue (`POST /api/v1/jobs/{id}/retry`; 409 `job_not_dead`). */
export async function retryJob(id: number): Promise<Job> {
  return unwrap(await api.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } } }));
}
