import { Code, Group, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { FormFooter } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n/languages';
import { useFormat } from '../../i18n/useFormat';
import { listTemplates, setTemplate, type NotificationTemplate } from '../../services/notifications';
import { notificationKeys } from '../sla/keys';
import { eventLabel, TEMPLATE_EVENTS } from '../sla/labels';
import { AdminListHeader } from './parts';

/**
 * Administration → Notification templates: the subject and body of each event's notification
 * in each language, with the variables they may use (`{{ticket_number}}` …). A variable the
 * server does not know comes back as `unknown_variable` beside its field.
 */
export function NotificationTemplatesPage() {
  const { t } = useTranslation();
  const templates = useQuery({ queryKey: notificationKeys.templates, queryFn: listTemplates });
  const [event, setEvent] = useState<string>(TEMPLATE_EVENTS[0]);
  const [language, setLanguage] = useState<Language>('en');
  const template = templates.data?.items.find((item) => item.event === event && item.language === language);
  const events = [...new Set([...TEMPLATE_EVENTS, ...(templates.data?.items.map((item) => item.event) ?? [])])];
  return (
    <Stack maw={860}>
      <AdminListHeader title={t('admin.templates.title')} intro={t('admin.templates.intro')} />
      <ErrorAlert error={templates.error} />
      <Group align="flex-end">
        <Select
          label={t('admin.templates.event')}
          data={events.map((value) => ({ value, label: eventLabel(t, value) }))}
          value={event}
          onChange={(value) => value && setEvent(value)}
          allowDeselect={false}
          w={300}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="template-language">
            {t('admin.templates.language')}
          </Text>
          <SegmentedControl
            aria-labelledby="template-language"
            data={LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
            value={language}
            onChange={setLanguage}
          />
        </Stack>
      </Group>
      {templates.data && (
        <Paper withBorder p="md">
          <Text size="sm" mb="xs">
            {t('admin.templates.variables')}{' '}
            {templates.data.variables.map((name) => (
              <Code key={name} mr={4}>{`{{${name}}}`}</Code>
            ))}
          </Text>
          <TemplateForm key={`${event}/${language}`} event={event} language={language} template={template ?? null} />
        </Paper>
      )}
    </Stack>
  );
}

function TemplateForm({ event, language, template }: { event: string; language: Language; template: NotificationTemplate | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => setTemplate(event, language, { subject, body }),
    onSuccess: (stored) => {
      queryClient.setQueryData(notificationKeys.templates, (previous: Awaited<ReturnType<typeof listTemplates>> | undefined) =>
        previous && {
          ...previous,
          items: previous.items.map((item) => (item.event === stored.event && item.language === stored.language ? stored : item)),
        },
      );
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: ['subject', 'body'] }) : null;
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <TextInput
          label={t('admin.templates.subject')}
          required
          value={subject}
          onChange={(e) => {
            setSaved(false);
            setSubject(e.currentTarget.value);
          }}
          error={failure?.fields.subject}
        />
        <Textarea
          label={t('admin.templates.body')}
          required
          autosize
          minRows={6}
          maxRows={20}
          value={body}
          onChange={(e) => {
            setSaved(false);
            setBody(e.currentTarget.value);
          }}
          error={failure?.fields.body}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {template && (
          <Text size="xs" c="dimmed">
            {t('admin.templates.changed', { when: format.dateTime(template.updated_at) })}
          </Text>
        )}
        <FormFooter submitLabel={t('common.save')} saving={save.isPending} disabled={!subject.trim() || !body.trim()} status={saved ? t('common.saved') : ''} />
      </Stack>
    </form>
  );
}
