import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiError, type Problem } from '../api/problem';
import en from '../i18n/locales/en.json';
import nl from '../i18n/locales/nl.json';
import { mapError } from './mapError';

const i18n = i18next.createInstance();

beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    resources: { en: { translation: en }, nl: { translation: nl } },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
});

function problem(code: string, status: number, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:vakt:problem:${code}`, title: code, status, detail: 'English detail', code, ...extra };
}

describe('mapError', () => {
  it('translates the problem code, in the current language', async () => {
    const error = new ApiError(409, problem('email_taken', 409));
    expect(mapError(error, i18n).message).toBe('This email address is already in use.');
    await i18n.changeLanguage('nl');
    expect(mapError(error, i18n).message).toBe('Dit e-mailadres is al in gebruik.');
    await i18n.changeLanguage('en');
  });

  it('puts field errors beside the fields, translated from their codes', () => {
    const error = new ApiError(
      422,
      problem('validation_failed', 422, {
        errors: { email: ['must be a valid email address'], password: ['must be at least 8 characters'] },
        error_codes: { email: ['invalid_email'], password: ['too_short'] },
      }),
    );
    const mapped = mapError(error, i18n, { fields: ['email', 'password'] });
    expect(mapped.fields).toEqual({ email: 'Enter a valid email address.', password: 'This is too short.' });
    expect(mapped.message).toBe('Please correct the marked fields.');
  });

  it('falls back to the server text for unknown field codes and reports fields the form lacks', () => {
    const error = new ApiError(
      422,
      problem('validation_failed', 422, {
        errors: { name: ['is odd'], body: ['unexpected field'] },
        error_codes: { name: ['brand_new_code'], body: ['unknown_field'] },
      }),
    );
    const mapped = mapError(error, i18n, { fields: ['name'] });
    expect(mapped.fields).toEqual({ name: 'is odd' });
    expect(mapped.message).toBe('Please correct the marked fields. body: This field is not known to the server.');
  });

  it('places a conflict code beside its field when the form asks for it', () => {
    const error = new ApiError(409, problem('email_taken', 409));
    const mapped = mapError(error, i18n, { codeFields: { email_taken: 'email' } });
    expect(mapped).toEqual({
      code: 'email_taken',
      message: null,
      fields: { email: 'This email address is already in use.' },
    });
  });

  it('adds the request id to server errors and the wait to 429', () => {
    const headers = new Headers({ 'x-request-id': 'req-42', 'retry-after': '600' });
    expect(mapError(new ApiError(500, problem('internal_error', 500), headers), i18n).message).toBe(
      'The server had an internal error. (Request id: req-42)',
    );
    expect(mapError(new ApiError(429, problem('too_many_requests', 429), headers), i18n).message).toBe(
      'Too many failed attempts. Try again in 10 minutes.',
    );
  });

  it('handles responses without a problem body and network failures', () => {
    const bare = mapError(new ApiError(502, null), i18n);
    expect(bare).toMatchObject({ code: 'http_502', message: 'The server answered with an error (HTTP 502).' });
    expect(mapError(new TypeError('Failed to fetch'), i18n).code).toBe('network');
    expect(mapError(new Error('boom'), i18n).message).toBe('An unexpected error occurred.');
  });
});
