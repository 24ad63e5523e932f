import { describe, expect, it } from 'vitest';

import {
  addRange,
  copyDay,
  emptyHours,
  holidaysFromApi,
  holidaysToApi,
  hoursFromApi,
  hoursSummary,
  hoursToApi,
  officeHours,
  parseRange,
  removeRange,
  setRange,
  toggleYearly,
} from './calendarModel';

const SHORT = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const;

describe('working hours', () => {
  it('reads and writes the API form, days without ranges left out', () => {
    const api = { mon: ['08:00-11:30', '12:00-16:00'], sat: ['22:00-06:00'] };
    const model = hoursFromApi(api);
    expect(model.mon).toEqual([
      { start: '08:00', end: '11:30' },
      { start: '12:00', end: '16:00' },
    ]);
    expect(model.tue).toEqual([]);
    expect(hoursToApi(model)).toEqual(api);
  });

  it('parses ranges strictly', () => {
    expect(parseRange('08:00-16:00')).toEqual({ start: '08:00', end: '16:00' });
    expect(parseRange('8-16')).toBeNull();
  });

  it('adds the default range to an empty day and a later one after the last range', () => {
    let model = addRange(emptyHours(), 'tue');
    expect(model.tue).toEqual([{ start: '08:00', end: '16:00' }]);
    model = setRange(model, 'tue', 0, { end: '11:30' });
    model = addRange(model, 'tue');
    expect(model.tue[1]).toEqual({ start: '12:00', end: '13:00' });
    model = setRange(model, 'tue', 1, { start: '23:30', end: '23:45' });
    expect(addRange(model, 'tue').tue[2]).toEqual({ start: '00:15', end: '01:15' });
  });

  it('removes one range and leaves the others', () => {
    const model = hoursFromApi({ mon: ['08:00-11:30', '12:00-16:00'] });
    expect(removeRange(model, 'mon', 0).mon).toEqual([{ start: '12:00', end: '16:00' }]);
    expect(model.mon).toHaveLength(2);
  });

  it('copies a day to others without sharing objects', () => {
    const model = copyDay(hoursFromApi({ mon: ['09:00-15:00'] }), 'mon', ['mon', 'tue', 'wed']);
    expect(hoursToApi(model)).toEqual({ mon: ['09:00-15:00'], tue: ['09:00-15:00'], wed: ['09:00-15:00'] });
    expect(model.tue[0]).not.toBe(model.mon[0]);
  });

  it('summarises consecutive equal days', () => {
    const name = (day: keyof typeof SHORT) => SHORT[day];
    expect(hoursSummary(officeHours(), name)).toBe('Mon–Fri 08:00–16:00');
    const split = hoursFromApi({ mon: ['08:00-11:30', '12:00-16:00'], tue: ['08:00-11:30', '12:00-16:00'], thu: ['10:00-14:00'] });
    expect(hoursSummary(split, name)).toBe('Mon–Tue 08:00–11:30, 12:00–16:00; Thu 10:00–14:00');
    expect(hoursSummary(emptyHours(), name)).toBe('');
  });
});

describe('holidays', () => {
  it('tells yearly from one-off holidays and writes them back', () => {
    const rows = holidaysFromApi(['12-25', '2026-04-03']);
    expect(rows).toEqual([
      { yearly: true, value: '12-25' },
      { yearly: false, value: '2026-04-03' },
    ]);
    expect(holidaysToApi([...rows, { yearly: false, value: ' ' }])).toEqual(['12-25', '2026-04-03']);
  });

  it('keeps month and day when a dated row becomes yearly, and back', () => {
    expect(holidaysToApi([{ yearly: true, value: '2027-05-17' }])).toEqual(['05-17']);
    expect(toggleYearly({ yearly: false, value: '2026-12-26' }, 2026)).toEqual({ yearly: true, value: '12-26' });
    expect(toggleYearly({ yearly: true, value: '12-26' }, 2027)).toEqual({ yearly: false, value: '2027-12-26' });
  });
});
