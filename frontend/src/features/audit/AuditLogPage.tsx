import { Button, Code, Group, List, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CursorTable, type Column } from '../../components/CursorTable';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { AUDIT_ENTITIES, exportAuditLog, listAuditLog, type AuditEntry, type AuditFilter } from '../../services/audit';
import { fieldChanges } from './changes';

const ACTIONS = ['create', 'update', 'grant', 'revoke', 'reset', 'end_sessions'] as const;

/** A positive id typed into a filter field, or nothing. */
function idOf(text: string): number | undefined {
  const id = Number(text.trim());
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** `YYYY-MM-DD` as the start of that day in UTC. */
function dayStart(date: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + plusDays);
  return day.toISOString().replace('.000Z', 'Z');
}

function download(csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'vakt-audit-log.csv';
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * Administration → Audit log: every administrative change, newest first — who, when, what,
 * and the values before and after — filtered by kind, action, actor, affected user and days;
 * the filtered log downloads as CSV.
 */
export function AuditLogPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [entity, setEntity] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [actor, setActor] = useState('');
  const [subject, setSubject] = useState('');
  const [entityId, setEntityId] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [ids] = useDebouncedValue({ actor, subject, entityId }, 300);
  const filter: AuditFilter = {
    ...(entity && { entity }),
    ...(action && { action }),
    ...(idOf(ids.actor) && { actor_id: idOf(ids.actor) }),
    ...(idOf(ids.subject) && { user_id: idOf(ids.subject) }),
    ...(idOf(ids.entityId) && { entity_id: idOf(ids.entityId) }),
    ...(dayStart(from) && { from: dayStart(from) }),
    ...(dayStart(until, 1) && { until: dayStart(until, 1) }),
  };
  const pager = useCursorPage(['audit-log', filter], (cursor, limit) => listAuditLog(filter, cursor, limit), 50);
  const exporting = useMutation({ mutationFn: () => exportAuditLog(filter), onSuccess: download });
  const entityLabel = (value: string) => t(`audit.entity.${value}`, { defaultValue: value });
  const actionLabel = (value: string) => t(`audit.action.${value}`, { defaultValue: value });

  const columns: Column<AuditEntry>[] = [
    { key: 'at', header: t('audit.at'), cell: (entry) => format.dateTime(entry.at) },
    { key: 'actor', header: t('audit.actor'), cell: (entry) => entry.actor },
    { key: 'action', header: t('audit.action_label'), cell: (entry) => actionLabel(entry.action) },
    {
      key: 'entity',
      header: t('audit.entity_label'),
      cell: (entry) => (
        <>
          <Text size="sm">{entry.entity_label}</Text>
          <Text size="xs" c="dimmed">
            {entityLabel(entry.entity)}
            {entry.entity_id ? ` #${entry.entity_id}` : ''}
          </Text>
        </>
      ),
    },
    {
      key: 'changes',
      header: t('audit.changes'),
      cell: (entry) => (
        <List size="xs" spacing={2}>
          {fieldChanges(entry.before, entry.after).map((change) => (
            <List.Item key={change.field}>
              <Code>{change.field}</Code>: {change.before ?? '—'} → {change.after ?? '—'}
            </List.Item>
          ))}
        </List>
      ),
    },
  ];

  return (
    <Stack>
      <PageTitle text={t('audit.title')} />
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('audit.entity_label')}
          placeholder={t('audit.any')}
          clearable
          data={AUDIT_ENTITIES.map((value) => ({ value, label: entityLabel(value) }))}
          value={entity}
          onChange={setEntity}
          w={200}
        />
        <Select
          label={t('audit.action_label')}
          placeholder={t('audit.any')}
          clearable
          data={ACTIONS.map((value) => ({ value, label: actionLabel(value) }))}
          value={action}
          onChange={setAction}
          w={170}
        />
        <TextInput label={t('audit.entity_id')} inputMode="numeric" value={entityId} onChange={(e) => setEntityId(e.currentTarget.value)} w={110} />
        <TextInput label={t('audit.actor_id')} inputMode="numeric" value={actor} onChange={(e) => setActor(e.currentTarget.value)} w={110} />
        <TextInput label={t('audit.user_id')} inputMode="numeric" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} w={110} />
        <TextInput label={t('audit.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={160} />
        <TextInput label={t('audit.until')} type="date" value={until} onChange={(e) => setUntil(e.currentTarget.value)} w={160} />
        <Button variant="default" loading={exporting.isPending} onClick={() => exporting.mutate()}>
          {t('audit.export')}
        </Button>
      </Group>
      <ErrorAlert error={exporting.error} />
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(entry) => entry.id}
        caption={t('audit.title')}
        empty={t('audit.none')}
        minWidth={820}
      />
    </Stack>
  );
}
