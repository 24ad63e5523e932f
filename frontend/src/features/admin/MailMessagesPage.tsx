import { Alert, Anchor, Badge, Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { CursorTable, type Column } from '../../components/CursorTable';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import {
  deleteMailMessage,
  downloadRawMessage,
  listMailMessages,
  MAIL_STATUSES,
  retryMailMessage,
  type InboundResult,
  type MailMessage,
  type MailStatus,
} from '../../services/mail';
import { saveBlob } from '../../components/download';
import { formatBytes } from '../../i18n/format';
import { MAIL_MESSAGES_KEY } from './keys';

const STATUS_COLORS: Record<string, string> = {
  pending: 'blue',
  processed: 'teal',
  quarantined: 'red',
  ignored: 'gray',
  deleted: 'gray',
};

/**
 * Administration → Received mail: every stored message, newest first; the quarantine (messages
 * that could not be processed) is the default view. The raw message downloads exactly as it
 * arrived; a quarantined message can be processed again (after fixing a filter or a queue) or
 * deleted (its bytes go; the record stays).
 */
export function MailMessagesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: MailStatus | null = raw === 'all' ? null : ((MAIL_STATUSES as readonly string[]).includes(raw ?? '') ? (raw as MailStatus) : 'quarantined');
  const pager = useCursorPage([...MAIL_MESSAGES_KEY, status], (cursor, limit) => listMailMessages(status, cursor, limit), 25, {
    refetchInterval: 30_000,
  });
  const [result, setResult] = useState<InboundResult | null>(null);
  const [deleting, setDeleting] = useState<MailMessage | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: MAIL_MESSAGES_KEY });
  const retry = useMutation({
    mutationFn: retryMailMessage,
    onSuccess: async (outcome) => {
      setResult(outcome);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deleteMailMessage,
    onSuccess: async () => {
      setDeleting(null);
      await refresh();
    },
  });
  const download = useMutation({
    mutationFn: async (message: MailMessage) => saveBlob(await downloadRawMessage(message.id), `message-${message.id}.eml`),
  });
  const statusLabel = (value: string) =>
    ({
      pending: t('admin.quarantine.status.pending'),
      processed: t('admin.quarantine.status.processed'),
      quarantined: t('admin.quarantine.status.quarantined'),
      ignored: t('admin.quarantine.status.ignored'),
      deleted: t('admin.quarantine.status.deleted'),
    })[value] ?? value;

  const outcomeLabel = (value: string) =>
    ({
      created: t('admin.quarantine.outcome.created'),
      appended: t('admin.quarantine.outcome.appended'),
      rejected: t('admin.quarantine.outcome.rejected'),
      ignored: t('admin.quarantine.outcome.ignored'),
      quarantined: t('admin.quarantine.outcome.quarantined'),
    })[value] ?? value;

  const columns: Column<MailMessage>[] = [
    {
      key: 'received',
      header: t('admin.quarantine.received'),
      cell: (message) => <time dateTime={message.received_at}>{format.dateTime(message.received_at)}</time>,
    },
    {
      key: 'message',
      header: t('admin.quarantine.message'),
      cell: (message) => (
        <>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {message.subject ?? t('admin.quarantine.no_subject')}
          </Text>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {message.sender ?? '—'} · {formatBytes(message.size, format.number)}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      header: t('admin.jobs.status_label'),
      cell: (message) => (
        <>
          <Badge variant="light" color={STATUS_COLORS[message.status] ?? 'gray'} radius="sm">
            {statusLabel(message.status)}
          </Badge>
          {message.reason && (
            <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
              {message.reason}
            </Text>
          )}
          {message.ticket_id != null && (
            <Anchor component={Link} to={`/agent/tickets/${message.ticket_id}`} size="xs" display="block">
              {t('admin.quarantine.to_ticket')}
            </Anchor>
          )}
        </>
      ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      hiddenHeader: true,
      cell: (message) => (
        <Group gap={4} wrap="nowrap">
          {message.status !== 'deleted' && (
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => download.mutate(message)}
              loading={download.isPending && download.variables.id === message.id}
              aria-label={t('admin.quarantine.raw_named', { id: message.id })}
            >
              {t('admin.quarantine.raw')}
            </Button>
          )}
          {(message.status === 'quarantined' || message.status === 'pending') && (
            <Button
              size="compact-sm"
              onClick={() => retry.mutate(message.id)}
              loading={retry.isPending && retry.variables === message.id}
              aria-label={t('admin.quarantine.retry_named', { id: message.id })}
            >
              {t('admin.jobs.retry')}
            </Button>
          )}
          {(message.status === 'quarantined' || message.status === 'ignored') && (
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => setDeleting(message)}
              aria-label={t('admin.quarantine.delete_named', { id: message.id })}
            >
              {t('saved.delete')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <PageTitle text={t('admin.quarantine.title')} />
      <SegmentedControl
        aria-label={t('admin.jobs.status_label')}
        value={status ?? 'all'}
        onChange={(value) => setParams(value === 'quarantined' ? {} : { status: value })}
        data={[
          { value: 'quarantined', label: statusLabel('quarantined') },
          { value: 'all', label: t('agents.filter.all') },
          ...MAIL_STATUSES.filter((value) => value !== 'quarantined').map((value) => ({ value, label: statusLabel(value) })),
        ]}
        w="fit-content"
        style={{ maxWidth: '100%', overflowX: 'auto' }}
      />
      {result && (
        <Alert color={result.outcome === 'quarantined' ? 'red' : 'teal'} role="status" withCloseButton onClose={() => setResult(null)} closeButtonLabel={t('common.cancel')}>
          {t('admin.quarantine.result', { outcome: outcomeLabel(result.outcome) })}
          {result.ticket_number && (
            <>
              {' '}
              <Anchor component={Link} to={`/agent/tickets/${result.ticket_number}`}>
                {result.ticket_number}
              </Anchor>
            </>
          )}
          {result.reason ? ` (${result.reason})` : ''}
        </Alert>
      )}
      <ErrorAlert error={retry.error ?? download.error} />
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(message) => message.id}
        caption={t('admin.quarantine.title')}
        empty={status === 'quarantined' ? t('admin.quarantine.none_quarantined') : t('admin.quarantine.none')}
        minWidth={720}
      />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('admin.quarantine.delete_title')}>
        <Stack>
          <Text size="sm">{t('admin.quarantine.delete_body', { subject: deleting?.subject ?? '' })}</Text>
          <ErrorAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.8" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting.id)}>
              {t('saved.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
