import { describe, expect, it } from 'vitest';

import { formatDateTime, formatNumber, formatRelative } from './format';
import { pickLanguage } from './languages';

describe('formatting', () => {
  it('shows a UTC timestamp in the user’s time zone and locale', () => {
    const iso = '2026-11-22T23:30:00Z';
    const oslo = formatDateTime(iso, 'nb', 'Europe/Oslo'); // UTC+1 in November: next day
    expect(oslo).toContain('23');
    expect(oslo).toContain('00:30');
    const newYork = formatDateTime(iso, 'en', 'America/New_York');
    expect(newYork).toContain('Nov 22');
    expect(newYork).toContain('6:30');
  });

  it('formats numbers with the locale’s separators', () => {
    expect(formatNumber(1234567.5, 'de')).toBe('1.234.567,5');
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(formatRelative('2026-11-19T12:00:00Z', 'en', now)).toBe('3 days ago');
    expect(formatRelative('2026-11-22T11:00:00Z', 'nl', now)).toBe('1 uur geleden');
  });

  it('picks the interface language from the browser’s languages', () => {
    expect(pickLanguage(['fr-FR', 'nl-BE', 'en'])).toBe('nl');
    expect(pickLanguage(['nn-NO'])).toBe('nb');
    expect(pickLanguage(['de-AT'])).toBe('de');
    expect(pickLanguage(['fr'])).toBe('en');
  });
});
