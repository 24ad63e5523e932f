/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (Oslo in winter: +3 600 000). */
export function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/**
 * The UTC instant (RFC 3339) of a wall-clock time in `timeZone`: `2026-11-22` (midnight) or
 * `2026-11-22T14:30`, as date and `datetime-local` inputs give them. `null` for other text.
 */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0'] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(wall)) return null;
  // The offset at the guess, then again at the result (a guess across a DST change is off by an hour).
  let utc = wall - zoneOffset(wall, timeZone);
  utc = wall - zoneOffset(utc, timeZone);
  return new Date(utc).toISOString();
}

/** The wall-clock time of an instant in `timeZone`, as a `datetime-local` input wants it (`2026-11-22T14:30`). */
export function utcToZoned(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const wall = new Date(ms + zoneOffset(ms, timeZone));
  return wall.toISOString().slice(0, 16);
}

/** The day after a `YYYY-MM-DD` date (for "up to and including" filters). */
export function nextDay(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return new Date(ms + 86_400_000).toISOString().slice(0, 10);
}
