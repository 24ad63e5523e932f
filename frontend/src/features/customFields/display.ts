import { formatDate } from '../../i18n/format';
import type { Formatters } from '../../i18n/useFormat';
import { labelOf, type CustomField, type CustomFieldValue } from '../../services/customFields';

/** What {@link displayValue} needs besides the field: the reader's language and formatters. */
export interface DisplayContext {
  /** Two-letter language of the labels. */
  language: string;
  /** The locale dates and numbers are written in. */
  locale: string;
  /** The user's formatters (time zone for date-times, number separators). */
  format: Pick<Formatters, 'dateTime' | 'number'>;
  /** Words for a ticked and an unticked checkbox. */
  yes: string;
  no: string;
}

/**
 * A value as the reader reads it, typed: option labels in their language, numbers with the
 * locale's separators, date-times in their time zone, dates as the calendar day they are
 * (a date has no zone: 1 May is 1 May everywhere), checkboxes as yes/no. `null` without one.
 */
export function displayValue(field: CustomField, value: CustomFieldValue | undefined, context: DisplayContext): string | null {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  const option = (v: string) => labelOf(field.options.find((o) => o.value === v)?.labels ?? {}, context.language, v);
  switch (field.field_type) {
    case 'checkbox':
      return value === true ? context.yes : context.no;
    case 'dropdown':
      return typeof value === 'string' ? option(value) : String(value);
    case 'multiselect':
      return Array.isArray(value) ? value.map(option).join(', ') : String(value);
    case 'integer':
      return typeof value === 'number' ? context.format.number(value) : String(value);
    case 'decimal': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? context.format.number(number) : String(value);
    }
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? formatDate(`${value}T00:00:00Z`, context.locale, 'UTC')
        : String(value);
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? context.format.dateTime(value) : String(value);
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}
