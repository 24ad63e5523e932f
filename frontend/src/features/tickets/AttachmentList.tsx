import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { downloadAttachment, type Article, type Attachment } from '../../services/tickets';
import { saveBlob } from '../../components/download';
import { formatBytes } from '../../i18n/format';

/**
 * The attachments of an article as download buttons. A plain link cannot carry the access
 * token (it lives in memory, not in a cookie), so each download is an authenticated fetch
 * whose blob is then saved under the attachment's name.
 */
export function AttachmentList({ ticketKey, article }: { ticketKey: string; article: Article }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (article.attachments.length === 0) return null;

  const download = async (attachment: Attachment) => {
    setBusy(attachment.id);
    setError(null);
    try {
      saveBlob(await downloadAttachment(ticketKey, article.id, attachment.id), attachment.filename);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <Text size="xs" fw={700} c="dimmed" mb={4} id={`attachments-${article.id}`}>
        {t('article.attachments', { count: article.attachments.length })}
      </Text>
      <Group gap="xs" role="list" aria-labelledby={`attachments-${article.id}`}>
        {article.attachments.map((attachment) => (
          <div role="listitem" key={attachment.id}>
            <Button
              variant="default"
              size="compact-sm"
              loading={busy === attachment.id}
              onClick={() => void download(attachment)}
              aria-label={t('article.download', { name: attachment.filename })}
            >
              <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" style={{ marginRight: 6 }}>
                <path d="M21 12.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l7.9-7.9" />
              </svg>
              {attachment.filename}
              <Text span c="dimmed" fz="xs" ml={6}>
                {formatBytes(attachment.size, format.number)}
              </Text>
            </Button>
          </div>
        ))}
      </Group>
      <ErrorAlert error={error} />
    </div>
  );
}
