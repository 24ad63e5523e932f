import { describe, expect, it } from 'vitest';

import { countdown, durationParts } from './countdown';

const NOW = Date.parse('2026-11-24T10:00:00Z');

describe('countdown', () => {
  it('is absent without an escalation time (no SLA, or every clock paused or stopped)', () => {
    expect(countdown(null, null, NOW)).toBeNull();
    expect(countdown(undefined, undefined, NOW)).toBeNull();
    expect(countdown('not a date', null, NOW)).toBeNull();
  });

  it('counts whole minutes left, rounded down', () => {
    expect(countdown('2026-11-24T12:30:59Z', null, NOW)).toEqual({ level: 'running', minutes: 150 });
    expect(countdown('2026-11-24T10:00:30Z', null, NOW)).toEqual({ level: 'running', minutes: 0 });
  });

  it('warns once the warning time has come, not before', () => {
    expect(countdown('2026-11-24T11:00:00Z', '2026-11-24T10:00:01Z', NOW)?.level).toBe('running');
    expect(countdown('2026-11-24T11:00:00Z', '2026-11-24T10:00:00Z', NOW)).toEqual({ level: 'warning', minutes: 60 });
  });

  it('is breached from the deadline on, counting minutes overdue', () => {
    expect(countdown('2026-11-24T10:00:00Z', null, NOW)).toEqual({ level: 'breached', minutes: 0 });
    expect(countdown('2026-11-24T07:59:00Z', '2026-11-24T07:00:00Z', NOW)).toEqual({ level: 'breached', minutes: 121 });
  });
});

describe('durationParts', () => {
  it('gives hours and minutes under a day', () => {
    expect(durationParts(0)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(durationParts(59)).toEqual({ days: 0, hours: 0, minutes: 59 });
    expect(durationParts(150)).toEqual({ days: 0, hours: 2, minutes: 30 });
  });

  it('gives days and hours from a day on', () => {
    expect(durationParts(1440)).toEqual({ days: 1, hours: 0, minutes: 0 });
    expect(durationParts(3 * 1440 + 5 * 60 + 59)).toEqual({ days: 3, hours: 5, minutes: 0 });
  });

  it('never goes negative', () => {
    expect(durationParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});
