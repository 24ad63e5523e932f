import type { components } from './schema';

/** An RFC 7807 problem document as the API sends it. */
export type Problem = components['schemas']['Problem'];

/** A failed API call: the HTTP status, the problem document (when the server sent one) and the request id. */
export class ApiError extends Error {
  /** HTTP status of the response. */
  readonly status: number;
  /** The stable `code` (`email_taken`, `validation_failed`, …), or `http_<status>` without a problem body. */
  readonly code: string;
  /** The problem document, if the body was one. */
  readonly problem: Problem | null;
  /** `X-Request-Id` of the response, to quote in a bug report. */
  readonly requestId: string | null;
  /** `Retry-After` in seconds (429, 503), if given. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem | null, headers?: Headers) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.code = problem?.code ?? `http_${status}`;
    this.requestId = headers?.get('x-request-id') ?? null;
    const retry = Number(headers?.get('retry-after') ?? NaN);
    this.retryAfter = Number.isFinite(retry) ? retry : null;
  }
}

/** Whether `value` looks like a problem document (has a string `code` and numeric `status`). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.status === 'number';
}

/** The result of an openapi-fetch call. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns the body of a successful call, or throws an {@link ApiError}. */
export function unwrap<T>(result: FetchResult<T>): T {
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, isProblem(error) ? error : null, response.headers);
  }
  return data as T;
}

/** Throws an {@link ApiError} unless the call succeeded (for 204 responses without a body). */
export function expectOk(result: FetchResult<unknown>): void {
  unwrap(result);
}
