import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';

import { formatDuration, weekdayName } from './labels';

/** A translator that shows which key and values were chosen. */
const t = ((key: string, values?: Record<string, unknown>) => `${key}${values ? ` ${JSON.stringify(values)}` : ''}`) as unknown as TFunction;

describe('formatDuration', () => {
  it('picks the message by size', () => {
    expect(formatDuration(t, 0)).toBe('time.under_minute');
    expect(formatDuration(t, 45)).toBe('time.minutes {"count":45}');
    expect(formatDuration(t, 120)).toBe('time.hours {"count":2}');
    expect(formatDuration(t, 150)).toBe('time.hours_minutes {"hours":2,"minutes":30}');
    expect(formatDuration(t, 2 * 1440)).toBe('time.days {"count":2}');
    expect(formatDuration(t, 2400)).toBe('time.days_hours {"days":1,"hours":16}');
  });
});

describe('weekdayName', () => {
  it('names the API weekdays in the interface language', () => {
    expect(weekdayName('en', 'mon')).toBe('Monday');
    expect(weekdayName('de', 'sun')).toBe('Sonntag');
    expect(weekdayName('nl', 'wed', 'short')).toMatch(/^wo/);
  });
});
