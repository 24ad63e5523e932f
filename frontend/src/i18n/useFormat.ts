import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { useAuth } from '../auth/context';
import { browserTimeZone, formatDate, formatDateTime, formatNumber, formatRelative } from './format';

/** Formatters for the interface language and the user's time zone (else the browser's). */
export interface Formatters {
  /** The time zone dates are shown in. */
  timeZone: string;
  /** Date and time. */
  dateTime: (iso: string) => string;
  /** Date only. */
  date: (iso: string) => string;
  /** A number with the locale's separators. */
  number: (value: number) => string;
  /** "3 days ago". */
  relative: (iso: string) => string;
}

/** Dates and numbers formatted with `Intl` for the user's language and time zone. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const { user } = useAuth();
  const locale = i18n.language;
  const timeZone = user?.time_zone ?? browserTimeZone();
  return useMemo(
    () => ({
      timeZone,
      dateTime: (iso) => formatDateTime(iso, locale, timeZone),
      date: (iso) => formatDate(iso, locale, timeZone),
      number: (value) => formatNumber(value, locale),
      relative: (iso) => formatRelative(iso, locale),
    }),
    [locale, timeZone],
  );
}
