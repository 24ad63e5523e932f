import { Button, Group, MultiSelect, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createTextModule, deleteTextModule, listTextModules, updateTextModule, type TextModule } from '../../services/kb';
import { listQueues } from '../../services/reference';
import { EditableTable } from './EditableTable';
import { kbKeys } from './keys';
import { TEMPLATE_VARIABLE_LIST } from './templateVariables';

const FIELDS = ['name', 'category', 'keywords', 'language', 'subject', 'body', 'queue_ids'] as const;
const LANGUAGES = ['en', 'nl', 'nb', 'de'];

/**
 * Administration of the text modules: name, category, keywords, language, subject and body with
 * variables, queues. One form adds a module or, after "Edit" on a row, replaces that one.
 */
export function TextModulesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const modules = useQuery({ queryKey: kbKeys.modules('', undefined), queryFn: () => listTextModules('') });
  const [editing, setEditing] = useState<TextModule | null>(null);
  const remove = useMutation({
    mutationFn: deleteTextModule,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['text-modules'] }),
  });
  return (
    <Stack maw={900}>
      <PageTitle text={t('kb.admin.text_modules')} />
      <ModuleForm key={editing?.id ?? 'new'} module={editing} onDone={() => setEditing(null)} />
      <ErrorAlert error={modules.error ?? remove.error} />
      <EditableTable
        rows={modules.data ?? []}
        empty={t('kb.admin.no_modules')}
        columns={[
          { header: t('kb.admin.name'), cell: (m) => m.name },
          { header: t('kb.admin.module_category'), cell: (m) => m.category },
          { header: t('kb.field.keywords'), cell: (m) => m.keywords.join(', ') },
        ]}
        onEdit={setEditing}
        onDelete={(m) => remove.mutate(m.id)}
      />
    </Stack>
  );
}

/** Adds a text module, or replaces `module`'s fields when given. */
function ModuleForm({ module, onDone }: { module: TextModule | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const queues = useQuery({ queryKey: ['queues', 'all'], queryFn: listQueues });
  const [name, setName] = useState(module?.name ?? '');
  const [category, setCategory] = useState(module?.category ?? '');
  const [keywords, setKeywords] = useState((module?.keywords ?? []).join(', '));
  const [language, setLanguage] = useState<string | null>(module?.language ?? null);
  const [subject, setSubject] = useState(module?.subject ?? '');
  const [body, setBody] = useState(module?.body ?? '');
  const [queueIds, setQueueIds] = useState<string[]>((module?.queue_ids ?? []).map(String));
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        category: category.trim() || null,
        keywords: keywords.split(',').map((k) => k.trim()).filter(Boolean),
        language,
        subject: subject.trim() || null,
        body,
        queue_ids: queueIds.map(Number),
      };
      return module ? updateTextModule(module.id, fields) : createTextModule(fields);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['text-modules'] });
      setName('');
      setCategory('');
      setKeywords('');
      setSubject('');
      setBody('');
      setQueueIds([]);
      onDone();
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="tm-form">
      <Title order={2} size="h4" id="tm-form" mb="xs">
        {module ? t('kb.admin.edit_module', { name: module.name }) : t('kb.admin.new_module')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={failure?.message ?? null} />
          <Group grow align="flex-start">
            <TextInput label={t('kb.admin.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <TextInput label={t('kb.admin.module_category')} value={category} onChange={(e) => setCategory(e.currentTarget.value)} error={failure?.fields.category} />
            <Select label={t('kb.field.language')} data={LANGUAGES} value={language} onChange={setLanguage} clearable error={failure?.fields.language} />
          </Group>
          <TextInput
            label={t('kb.field.keywords')}
            description={t('kb.field.keywords_hint')}
            value={keywords}
            onChange={(e) => setKeywords(e.currentTarget.value)}
            error={failure?.fields.keywords}
          />
          <TextInput label={t('kb.admin.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={failure?.fields.subject} />
          <Textarea
            label={t('kb.admin.body')}
            description={t('kb.admin.variables', { list: TEMPLATE_VARIABLE_LIST, interpolation: { escapeValue: false } })}
            required
            autosize
            minRows={4}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={failure?.fields.body}
          />
          <MultiSelect
            label={t('kb.admin.queues')}
            description={t('kb.admin.queues_hint')}
            data={(queues.data ?? []).map((q) => ({ value: String(q.id), label: q.name }))}
            value={queueIds}
            onChange={setQueueIds}
            error={failure?.fields.queue_ids}
          />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || !body.trim()}>
              {module ? t('common.save') : t('kb.admin.add')}
            </Button>
            {module && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
