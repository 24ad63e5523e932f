import { Badge, Button, Code, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CursorTable, type Column } from '../../components/CursorTable';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { JOB_STATUSES, listJobs, retryJob, type Job, type JobFilter, type JobStatus } from '../../services/jobs';
import { JOBS_KEY } from './keys';

const STATUS_COLORS: Record<string, string> = { queued: 'blue', running: 'cyan', done: 'gray', dead: 'red' };

/**
 * Administration → Background jobs: sending mail, polling accounts, housekeeping — newest
 * first, by status and kind, refreshed every 15 seconds; dead jobs (out of attempts) show
 * their last error and can be retried.
 */
export function JobsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<JobStatus | 'all'>('dead');
  const [kind, setKind] = useState('');
  const [debouncedKind] = useDebouncedValue(kind.trim(), 300);
  const filter: JobFilter = { ...(status !== 'all' && { status }), ...(debouncedKind && { kind: debouncedKind }) };
  const pager = useCursorPage([...JOBS_KEY, filter], (cursor, limit) => listJobs(filter, cursor, limit), 25, {
    refetchInterval: 15_000,
  });
  const retry = useMutation({
    mutationFn: retryJob,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: JOBS_KEY }),
  });
  const statusLabel = (value: string) =>
    ({
      queued: t('admin.jobs.status.queued'),
      running: t('admin.jobs.status.running'),
      done: t('admin.jobs.status.done'),
      dead: t('admin.jobs.status.dead'),
    })[value] ?? value;

  const columns: Column<Job>[] = [
    { key: 'id', header: t('admin.jobs.id'), cell: (job) => job.id },
    { key: 'kind', header: t('admin.jobs.kind'), cell: (job) => <Code>{job.kind}</Code> },
    {
      key: 'status',
      header: t('admin.jobs.status_label'),
      cell: (job) => (
        <Badge variant="light" color={STATUS_COLORS[job.status] ?? 'gray'} radius="sm">
          {statusLabel(job.status)}
        </Badge>
      ),
    },
    { key: 'attempts', header: t('admin.jobs.attempts'), cell: (job) => `${job.attempts} / ${job.max_attempts}` },
    { key: 'run_at', header: t('admin.jobs.run_at'), visibleFrom: 'sm', cell: (job) => format.dateTime(job.run_at) },
    {
      key: 'error',
      header: t('admin.jobs.last_error'),
      cell: (job) => (
        <Text size="xs" style={{ overflowWrap: 'anywhere' }} lineClamp={3} title={job.last_error ?? undefined}>
          {job.last_error ?? ''}
        </Text>
      ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      hiddenHeader: true,
      cell: (job) =>
        job.status === 'dead' ? (
          <Button
            size="compact-sm"
            variant="default"
            loading={retry.isPending && retry.variables === job.id}
            onClick={() => retry.mutate(job.id)}
            aria-label={t('admin.jobs.retry_job', { id: job.id })}
          >
            {t('admin.jobs.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack>
      <PageTitle text={t('admin.jobs.title')} />
      <Group align="flex-end">
        <SegmentedControl
          aria-label={t('admin.jobs.status_label')}
          value={status}
          onChange={(value) => setStatus(value)}
          data={[{ value: 'all', label: t('agents.filter.all') }, ...JOB_STATUSES.map((value) => ({ value, label: statusLabel(value) }))]}
        />
        <TextInput
          label={t('admin.jobs.kind')}
          placeholder="send_mail"
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value)}
          w={{ base: '100%', sm: 220 }}
        />
      </Group>
      <ErrorAlert error={retry.error} />
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(job) => job.id}
        caption={t('admin.jobs.title')}
        empty={t('admin.jobs.none')}
        minWidth={720}
      />
    </Stack>
  );
}
