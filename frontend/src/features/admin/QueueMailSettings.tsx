import { Button, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useFormState } from '../../components/useFormState';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { getQueueMailSettings, setQueueMailSettings, type QueueMailSettings } from '../../services/mail';
import { listReplyTemplates, type ReplyTemplateKind } from '../../services/replyTemplates';

/** The variables the server fills in templates (shown literally: they are not translations). */
const TEMPLATE_VARIABLES = ['ticket_number', 'ticket_title', 'customer_name', 'customer_email', 'queue', 'subject', 'agent_name'];

const FIELDS = ['sender_name', 'follow_up_policy', 'reject_text', 'auto_reply_subject', 'auto_reply_body', 'salutation', 'signature', 'salutation_id', 'signature_id'] as const;

/** The mail settings of a queue, loaded, then edited as a whole (`GET`/`PUT /api/v1/queues/{id}/mail-settings`). */
export function QueueMailSettingsSection({ queueId }: { queueId: number }) {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ['queues', queueId, 'mail-settings'], queryFn: () => getQueueMailSettings(queueId) });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="queue-mail">
      <Title order={2} size="h4" id="queue-mail" mb="xs">
        {t('admin.queue_mail.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('admin.queue_mail.variables', { list: TEMPLATE_VARIABLES.map((name) => `{{${name}}}`).join(', ') })}
      </Text>
      <ErrorAlert error={settings.error} />
      {settings.data && <SettingsForm queueId={queueId} initial={settings.data} />}
    </Paper>
  );
}

function SettingsForm({ queueId, initial }: { queueId: number; initial: QueueMailSettings }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const { values, set, saved, setSaved } = useFormState<QueueMailSettings>(initial);
  const text = (value: string | null | undefined) => value ?? '';
  const orNull = (value: string) => (value.trim() ? value : null);
  const save = useMutation({
    mutationFn: () => setQueueMailSettings(queueId, values),
    onSuccess: (stored) => {
      queryClient.setQueryData(['queues', queueId, 'mail-settings'], stored);
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('admin.queue_mail.sender_name')}
            description={t('admin.queue_mail.sender_name_hint')}
            value={text(values.sender_name)}
            onChange={(e) => set({ sender_name: orNull(e.currentTarget.value) })}
            error={failure?.fields.sender_name}
          />
          <Select
            label={t('admin.queue_mail.follow_up')}
            data={[
              { value: 'reopen', label: t('admin.queue_mail.follow_up_reopen') },
              { value: 'new_ticket', label: t('admin.queue_mail.follow_up_new') },
              { value: 'reject', label: t('admin.queue_mail.follow_up_reject') },
            ]}
            value={values.follow_up_policy ?? 'reopen'}
            onChange={(value) => value && set({ follow_up_policy: value })}
            allowDeselect={false}
            error={failure?.fields.follow_up_policy}
          />
        </SimpleGrid>
        {values.follow_up_policy === 'reject' && (
          <Textarea
            label={t('admin.queue_mail.reject_text')}
            autosize
            minRows={2}
            value={text(values.reject_text)}
            onChange={(e) => set({ reject_text: orNull(e.currentTarget.value) })}
            error={failure?.fields.reject_text}
          />
        )}
        <Switch
          label={t('admin.queue_mail.auto_reply')}
          description={t('admin.queue_mail.auto_reply_hint')}
          checked={values.auto_reply_enabled ?? false}
          onChange={(e) => set({ auto_reply_enabled: e.currentTarget.checked })}
        />
        {values.auto_reply_enabled && (
          <>
            <TextInput
              label={t('admin.queue_mail.auto_reply_subject')}
              value={text(values.auto_reply_subject)}
              onChange={(e) => set({ auto_reply_subject: orNull(e.currentTarget.value) })}
              error={failure?.fields.auto_reply_subject}
            />
            <Textarea
              label={t('admin.queue_mail.auto_reply_body')}
              autosize
              minRows={3}
              value={text(values.auto_reply_body)}
              onChange={(e) => set({ auto_reply_body: orNull(e.currentTarget.value) })}
              error={failure?.fields.auto_reply_body}
            />
          </>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TemplateSelect
            kind="salutations"
            label={t('admin.queue_mail.salutation_template')}
            value={values.salutation_id ?? null}
            onChange={(id) => set({ salutation_id: id })}
            error={failure?.fields.salutation_id}
          />
          <TemplateSelect
            kind="signatures"
            label={t('admin.queue_mail.signature_template')}
            value={values.signature_id ?? null}
            onChange={(id) => set({ signature_id: id })}
            error={failure?.fields.signature_id}
          />
          <Textarea
            label={t('admin.queue_mail.salutation')}
            description={t('admin.queue_mail.inline_hint')}
            autosize
            minRows={2}
            value={text(values.salutation)}
            onChange={(e) => set({ salutation: orNull(e.currentTarget.value) })}
            error={failure?.fields.salutation}
          />
          <Textarea
            label={t('admin.queue_mail.signature')}
            description={t('admin.queue_mail.inline_hint')}
            autosize
            minRows={2}
            value={text(values.signature)}
            onChange={(e) => set({ signature: orNull(e.currentTarget.value) })}
            error={failure?.fields.signature}
          />
        </SimpleGrid>
        <Switch
          label={t('admin.queue_mail.cc_watchers')}
          checked={values.cc_as_watchers ?? false}
          onChange={(e) => set({ cc_as_watchers: e.currentTarget.checked })}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Text size="sm" role="status" c="teal.9">
            {saved ? t('common.saved') : ''}
          </Text>
        </Group>
      </Stack>
    </form>
  );
}

/** Picks the named salutation or signature (`/admin/reply-templates`) a queue's replies use. */
function TemplateSelect(props: {
  kind: ReplyTemplateKind;
  label: string;
  value: number | null;
  onChange: (id: number | null) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const templates = useQuery({ queryKey: ['reply-templates', props.kind], queryFn: () => listReplyTemplates(props.kind) });
  return (
    <Select
      label={props.label}
      placeholder={t('admin.queue_mail.no_template')}
      data={(templates.data ?? []).map((template) => ({ value: String(template.id), label: template.name }))}
      value={props.value === null ? null : String(props.value)}
      onChange={(value) => props.onChange(value ? Number(value) : null)}
      clearable
      error={props.error}
    />
  );
}
