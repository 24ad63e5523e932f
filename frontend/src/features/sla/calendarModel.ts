import type { WorkingHours } from '../../services/sla';

/** The weekdays in the order screens show them (the API's keys). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A weekday key. */
export type Weekday = (typeof WEEKDAYS)[number];

/** One working range on the wall clock, `HH:MM` each (the end may be before the start: it crosses midnight). */
export interface TimeRange {
  start: string;
  end: string;
}

/** Working hours as the form edits them: every day present, ranges in order of entry. */
export type HoursModel = Record<Weekday, TimeRange[]>;

/** A holiday as the form edits it: `MM-DD` every year, or a `YYYY-MM-DD` date once. */
export interface HolidayRow {
  yearly: boolean;
  value: string;
}

/** The range a new day gets, and the calendar a new calendar starts from (Monday to Friday). */
export const DEFAULT_RANGE: TimeRange = { start: '08:00', end: '16:00' };

/** `08:00-16:00` as a range; `null` when it is not two `HH:MM` parts. */
export function parseRange(text: string): TimeRange | null {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  return match ? { start: match[1] ?? '', end: match[2] ?? '' } : null;
}

/** The API's working hours as the form's model (unreadable ranges are kept as they were sent). */
export function hoursFromApi(hours: WorkingHours): HoursModel {
  const model = emptyHours();
  for (const day of WEEKDAYS) {
    model[day] = (hours[day] ?? []).map((text) => parseRange(text) ?? { start: text, end: '' });
  }
  return model;
}

/** The form's model as the API wants it: `HH:MM-HH:MM` strings, days without ranges left out. */
export function hoursToApi(model: HoursModel): WorkingHours {
  const hours: WorkingHours = {};
  for (const day of WEEKDAYS) {
    if (model[day].length > 0) hours[day] = model[day].map((range) => `${range.start}-${range.end}`);
  }
  return hours;
}

/** Every day without working time. */
export function emptyHours(): HoursModel {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** A new calendar's hours: 08:00–16:00 Monday to Friday. */
export function officeHours(): HoursModel {
  const model = emptyHours();
  for (const day of WEEKDAYS.slice(0, 5)) model[day] = [{ ...DEFAULT_RANGE }];
  return model;
}

/** `HH:MM` plus `minutes`, wrapping at midnight. */
function addMinutes(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number);
  const total = ((((h ?? 0) * 60 + (m ?? 0) + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Adds a range to a day: the default range on an empty day, else one hour starting half an
 * hour after the day's last range ends (a lunch break's worth), for the user to adjust.
 */
export function addRange(model: HoursModel, day: Weekday): HoursModel {
  const ranges = model[day];
  const last = ranges[ranges.length - 1];
  const next = last && /^\d{2}:\d{2}$/.test(last.end) ? { start: addMinutes(last.end, 30), end: addMinutes(last.end, 90) } : { ...DEFAULT_RANGE };
  return { ...model, [day]: [...ranges, next] };
}

/** Removes a day's range. */
export function removeRange(model: HoursModel, day: Weekday, index: number): HoursModel {
  return { ...model, [day]: model[day].filter((_, i) => i !== index) };
}

/** Changes the start or end of a day's range. */
export function setRange(model: HoursModel, day: Weekday, index: number, changes: Partial<TimeRange>): HoursModel {
  return { ...model, [day]: model[day].map((range, i) => (i === index ? { ...range, ...changes } : range)) };
}

/** Gives `targets` the ranges of `day` (e.g. "same as Monday" for the other weekdays). */
export function copyDay(model: HoursModel, day: Weekday, targets: readonly Weekday[]): HoursModel {
  const copy = { ...model };
  for (const target of targets) if (target !== day) copy[target] = model[day].map((range) => ({ ...range }));
  return copy;
}

/** `"08:00-16:00"` ranges of one day, for display (`08:00–16:00`). */
function dayText(ranges: readonly TimeRange[]): string {
  return ranges.map((range) => `${range.start}–${range.end}`).join(', ');
}

/**
 * The working hours in a line, consecutive days with the same ranges joined:
 * "Mon–Fri 08:00–16:00; Sat 10:00–14:00". `dayName` gives each day's short name.
 */
export function hoursSummary(model: HoursModel, dayName: (day: Weekday) => string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const day = WEEKDAYS[i] as Weekday;
    const text = dayText(model[day]);
    let j = i;
    while (j + 1 < WEEKDAYS.length && dayText(model[WEEKDAYS[j + 1] as Weekday]) === text) j += 1;
    if (text) {
      const last = WEEKDAYS[j] as Weekday;
      parts.push(`${j > i ? `${dayName(day)}–${dayName(last)}` : dayName(day)} ${text}`);
    }
    i = j + 1;
  }
  return parts.join('; ');
}

/** The API's holidays as rows: `MM-DD` yearly, anything else (a `YYYY-MM-DD` date) once. */
export function holidaysFromApi(holidays: readonly string[]): HolidayRow[] {
  return holidays.map((value) => ({ yearly: /^\d{2}-\d{2}$/.test(value), value }));
}

/**
 * Rows as the API wants them. A yearly row given as a full date keeps its month and day; a
 * one-off row keeps its date. Empty rows are dropped.
 */
export function holidaysToApi(rows: readonly HolidayRow[]): string[] {
  return rows
    .map((row) => row.value.trim())
    .map((value, index) => {
      const row = rows[index] as HolidayRow;
      if (row.yearly && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.slice(5);
      return value;
    })
    .filter((value) => value !== '');
}

/** Switches a row between yearly and once, keeping the date: `2026-12-25` ⇄ `12-25` (this year). */
export function toggleYearly(row: HolidayRow, year: number): HolidayRow {
  if (row.yearly) return { yearly: false, value: /^\d{2}-\d{2}$/.test(row.value) ? `${year}-${row.value}` : row.value };
  return { yearly: true, value: /^\d{4}-\d{2}-\d{2}$/.test(row.value) ? row.value.slice(5) : row.value };
}
