import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useErrorMapper } from './useErrorMapper';

/** Shows an API error (or any error) as a localized alert; nothing when `error` is empty. */
export function ErrorAlert({ error, message }: { error?: unknown; message?: string | null }) {
  const { t } = useTranslation();
  const map = useErrorMapper();
  const text = message ?? (error ? map(error).message : null);
  if (!text) return null;
  return (
    <Alert color="red" title={t('common.error_title')} role="alert" variant="light">
      {text}
    </Alert>
  );
}
