import type { i18n as I18n } from 'i18next';

import { ApiError } from '../api/problem';

/** A failure turned into what a screen shows. */
export interface MappedError {
  /** The stable code (`email_taken`, `validation_failed`, `network`, …). */
  code: string;
  /** The message for the top of the form or page; `null` when everything is shown beside fields. */
  message: string | null;
  /** Messages by field name, to show beside the fields. */
  fields: Record<string, string>;
}

/** How a form wants errors placed. */
export interface MapOptions {
  /** The fields the form shows; errors of other fields go into `message`. */
  fields?: readonly string[];
  /** Codes that belong beside a field, e.g. `{ email_taken: 'email' }`. */
  codeFields?: Readonly<Record<string, string>>;
}

type Translator = Pick<I18n, 't' | 'exists'>;

/**
 * Turns any error of an API call into localized messages: the problem's `code` picks the
 * `errors.<code>` message, each field's `error_codes` pick `errors.field.<code>` messages
 * (falling back to the server's English text for codes the interface does not know yet).
 */
export function mapError(error: unknown, i18n: Translator, options: MapOptions = {}): MappedError {
  const { t } = i18n;
  if (!(error instanceof ApiError)) {
    const network = error instanceof TypeError;
    const code = network ? 'network' : 'unexpected';
    return { code, message: t(`errors.${code}`), fields: {} };
  }
  let message = i18n.exists(`errors.${error.code}`)
    ? t(`errors.${error.code}`)
    : t('errors.http_status', { status: error.status });
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    message = t('errors.too_many_requests_retry', {
      count: Math.max(1, Math.ceil(error.retryAfter / 60)),
    });
  }
  if (error.status >= 500 && error.requestId !== null) {
    message = `${message} ${t('errors.request_id', { id: error.requestId })}`;
  }
  const fields: Record<string, string> = {};
  const field = options.codeFields?.[error.code];
  if (field !== undefined) {
    fields[field] = message;
    return { code: error.code, message: null, fields };
  }
  const problem = error.problem;
  if (problem && (problem.errors || problem.error_codes)) {
    const names = new Set([
      ...Object.keys(problem.errors ?? {}),
      ...Object.keys(problem.error_codes ?? {}),
    ]);
    const elsewhere: string[] = [];
    for (const name of names) {
      const texts = problem.errors?.[name] ?? [];
      const codes = problem.error_codes?.[name] ?? [];
      const count = Math.max(texts.length, codes.length);
      const parts: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const code = codes[i];
        if (code !== undefined && i18n.exists(`errors.field.${code}`)) {
          parts.push(t(`errors.field.${code}`));
        } else {
          parts.push(texts[i] ?? t('errors.field.invalid'));
        }
      }
      const text = parts.join(' ');
      if (options.fields?.includes(name)) fields[name] = text;
      else elsewhere.push(`${name}: ${text}`);
    }
    if (elsewhere.length > 0) message = `${message} ${elsewhere.join('; ')}`;
  }
  return { code: error.code, message, fields };
}
