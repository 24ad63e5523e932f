/**
 * A fresh `Idempotency-Key` (a random UUID). `crypto.randomUUID` exists only on secure origins
 * (HTTPS, localhost); on a plain-HTTP intranet address the key is built from
 * `crypto.getRandomValues`, which works everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
