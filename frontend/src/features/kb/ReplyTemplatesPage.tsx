import { Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { listQueues } from '../../services/reference';
import {
  createReplyTemplate,
  deleteReplyTemplate,
  listReplyTemplates,
  updateReplyTemplate,
  type ReplyTemplate,
  type ReplyTemplateKind,
} from '../../services/replyTemplates';
import { EditableTable } from './EditableTable';
import { TEMPLATE_VARIABLE_LIST } from './templateVariables';

const FIELDS = ['name', 'body'] as const;

/** The React Query key of one kind of reply template. */
const replyTemplateKey = (kind: ReplyTemplateKind) => ['reply-templates', kind] as const;

/**
 * Administration of salutations and signatures (`/admin/reply-templates`): named templates with
 * variables that a queue's mail settings choose; each row says which queues use it.
 */
export function ReplyTemplatesPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={900}>
      <PageTitle text={t('templates.title')} />
      <Text size="sm" c="dimmed">
        {t('templates.intro')}
      </Text>
      <KindSection kind="salutations" />
      <KindSection kind="signatures" />
    </Stack>
  );
}

function KindSection({ kind }: { kind: ReplyTemplateKind }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useQuery({ queryKey: replyTemplateKey(kind), queryFn: () => listReplyTemplates(kind) });
  const queues = useQuery({ queryKey: ['queues', 'all'], queryFn: listQueues });
  const [editing, setEditing] = useState<ReplyTemplate | null>(null);
  const remove = useMutation({
    mutationFn: (id: number) => deleteReplyTemplate(kind, id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: replyTemplateKey(kind) }),
  });
  const queueName = (id: number) => queues.data?.find((q) => q.id === id)?.name ?? `#${id}`;
  const headingId = `templates-${kind}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="xs">
        {t(`templates.${kind}`)}
      </Title>
      <Stack gap="sm">
        <TemplateForm key={editing?.id ?? 'new'} kind={kind} template={editing} onDone={() => setEditing(null)} />
        <ErrorAlert error={templates.error ?? remove.error} />
        <EditableTable
          rows={templates.data ?? []}
          empty={t('templates.none')}
          columns={[
            { header: t('kb.admin.name'), cell: (template) => template.name },
            { header: t('templates.text'), cell: (template) => template.body, style: () => ({ whiteSpace: 'pre-wrap' }) },
            { header: t('templates.used_by'), cell: (template) => template.queue_ids.map(queueName).join(', ') },
          ]}
          onEdit={setEditing}
          onDelete={(template) => remove.mutate(template.id)}
        />
      </Stack>
    </Paper>
  );
}

/** Adds a salutation or signature, or changes `template` when given. */
function TemplateForm({ kind, template, onDone }: { kind: ReplyTemplateKind; template: ReplyTemplate | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState(template?.name ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const save = useMutation({
    mutationFn: () => {
      const fields = { name: name.trim(), body };
      return template ? updateReplyTemplate(kind, template.id, fields) : createReplyTemplate(kind, fields);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: replyTemplateKey(kind) });
      setName('');
      setBody('');
      onDone();
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const label = template ? t('templates.edit', { name: template.name }) : t(`templates.new_${kind}`);
  return (
    <form onSubmit={submit} noValidate aria-label={label}>
      <Stack gap="xs">
        <ErrorAlert message={failure?.message ?? null} />
        <TextInput label={t('kb.admin.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
        <Textarea
          label={t('templates.text')}
          description={t('kb.admin.variables', { list: TEMPLATE_VARIABLE_LIST, interpolation: { escapeValue: false } })}
          required
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={failure?.fields.body}
        />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!name.trim() || !body.trim()}>
            {template ? t('common.save') : label}
          </Button>
          {template && (
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
