import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';

import en from './locales/en.json';
import { isLanguage, LANGUAGES, pickLanguage, type Language } from './languages';

const PREFERENCE_KEY = 'vakt.language';

/** Loads the other languages on demand: English is in the main bundle, the rest are chunks. */
const lazyLocales: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: ResourceKey }>> = {
      nl: () => import('./locales/nl.json'),
      nb: () => import('./locales/nb.json'),
      de: () => import('./locales/de.json'),
    };
    if (!isLanguage(language) || language === 'en') {
      callback(null, en);
      return;
    }
    loaders[language]().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/** The language chosen on this device before signing in, else the browser's. */
export function deviceLanguage(): Language {
  try {
    const stored = globalThis.localStorage.getItem(PREFERENCE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // no storage: fall through to the browser's languages
  }
  return pickLanguage(globalThis.navigator.languages);
}

/** Switches the interface language and remembers it on this device (for the login page). */
export async function applyLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage.setItem(PREFERENCE_KEY, language);
  } catch {
    // not remembered; the server-side preference still applies after sign-in
  }
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

/** The current interface language. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

/** Resolves once the interface language is loaded. */
export const i18nReady = i18n
  .use(lazyLocales)
  .use(initReactI18next)
  .init({
    lng: deviceLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en } },
    partialBundledLanguages: true,
    // Flat keys: `errors.email_taken` is one key, not a path.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: true },
    returnNull: false,
  });

export default i18n;
