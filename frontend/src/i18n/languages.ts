/** The interface languages, as the API stores them (`language` of a user). */
export const LANGUAGES = ['en', 'nl', 'nb', 'de'] as const;

/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in that language, for the language switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  nl: 'Nederlands',
  nb: 'Norsk bokmål',
  de: 'Deutsch',
};

/** Whether `value` is a supported language code. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The best supported language for a list of browser language tags (`navigator.languages`):
 * exact code first, then the base language (`nl-BE` → `nl`); Norwegian `no`/`nn` → `nb`.
 */
export function pickLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(base)) return base;
    if (base === 'no' || base === 'nn') return 'nb';
  }
  return 'en';
}
