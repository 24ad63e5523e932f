import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * "Someone else changed this ticket": shown after a 412 or when the page notices a newer
 * version. Reload brings in their changes; what the user typed stays where it is.
 */
export function ConflictAlert({ onReload, keepsDraft = false }: { onReload: () => void; keepsDraft?: boolean }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={t('conflict.title')}>
      <Group justify="space-between" gap="sm">
        <Text size="sm">{keepsDraft ? t('conflict.body_draft') : t('conflict.body')}</Text>
        <Button size="compact-sm" color="red" variant="outline" onClick={onReload}>
          {t('conflict.reload')}
        </Button>
      </Group>
    </Alert>
  );
}
