import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

import { mapError, type MapOptions, type MappedError } from './mapError';

/** {@link mapError} bound to the current language. */
export function useErrorMapper(): (error: unknown, options?: MapOptions) => MappedError {
  const { i18n } = useTranslation();
  return useCallback((error, options) => mapError(error, i18n, options), [i18n]);
}
