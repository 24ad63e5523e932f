import { Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { FormFooter } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { getQueueSla, setQueueSla } from '../../services/sla';
import { useSlas } from '../sla/hooks';
import { slaKeys } from '../sla/keys';

/**
 * A queue's default SLA: what its tickets get when their service has no SLA
 * (`GET`/`PUT /api/v1/queues/{id}/sla`). Only active SLAs are offered; the one in force stays
 * listed even when it was deactivated.
 */
export function QueueSlaSection({ queueId }: { queueId: number }) {
  const { t } = useTranslation();
  const current = useQuery({ queryKey: slaKeys.queueSla(queueId), queryFn: () => getQueueSla(queueId) });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="queue-sla">
      <Title order={2} size="h4" id="queue-sla" mb="xs">
        {t('admin.queue_sla.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('admin.queue_sla.intro')}
      </Text>
      <ErrorAlert error={current.error} />
      {current.isSuccess && <QueueSlaForm queueId={queueId} initial={current.data} />}
    </Paper>
  );
}

function QueueSlaForm({ queueId, initial }: { queueId: number; initial: number | null }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const slas = useSlas();
  const [value, setValue] = useState<string | null>(initial === null ? null : String(initial));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => setQueueSla(queueId, value === null ? null : Number(value)),
    onSuccess: async (stored) => {
      queryClient.setQueryData(slaKeys.queueSla(queueId), stored);
      await queryClient.invalidateQueries({ queryKey: slaKeys.slas });
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: ['sla_id'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const options = (slas.data ?? [])
    .filter((sla) => sla.active || sla.id === initial)
    .map((sla) => ({ value: String(sla.id), label: sla.active ? sla.name : `${sla.name} (${t('agents.inactive')})` }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <Select
          label={t('admin.queue_sla.sla')}
          placeholder={t('admin.queue_sla.none')}
          clearable
          data={options}
          value={value}
          onChange={(next) => {
            setSaved(false);
            setValue(next);
          }}
          error={failure?.fields.sla_id}
        />
        <FormFooter submitLabel={t('common.save')} saving={save.isPending} status={saved ? t('admin.queue_sla.saved') : ''} />
      </Stack>
    </form>
  );
}
