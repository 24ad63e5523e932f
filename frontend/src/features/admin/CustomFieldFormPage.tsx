import { ActionIcon, Button, Checkbox, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { FormFooter, FormPage } from '../../components/FormParts';
import { LoadById } from '../../components/LoadById';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createCustomField,
  FIELD_TYPES,
  getCustomField,
  updateCustomField,
  type CustomField,
  type CustomFieldChanges,
  type CustomFieldObject,
  type CustomFieldOption,
  type CustomFieldType,
} from '../../services/customFields';
import { useQueues, useTicketTypes } from '../tickets/reference';
import { CUSTOM_FIELDS_KEY } from './keys';

const LANGUAGES = ['en', 'nl', 'nb', 'de'] as const;
const OBJECTS: readonly CustomFieldObject[] = ['ticket', 'article', 'customer', 'company'];
const FIELDS = ['object_type', 'key', 'field_type', 'labels', 'pattern', 'min', 'max', 'max_length', 'default_value', 'queue_ids', 'type_ids', 'options', 'position'] as const;

/**
 * The option editor of a dropdown or multiselect: value and English label per option, in
 * order (move up/down), retired or not. Options that tickets use can be retired, not
 * removed; the server says so beside the list.
 */
function OptionEditor({ options, onChange, error }: { options: CustomFieldOption[]; onChange: (options: CustomFieldOption[]) => void; error?: string }) {
  const { t } = useTranslation();
  const set = (i: number, changes: Partial<CustomFieldOption>) => onChange(options.map((o, j) => (j === i ? { ...o, ...changes } : o)));
  const move = (i: number, by: number) => {
    const next = [...options];
    const [item] = next.splice(i, 1);
    if (item) next.splice(i + by, 0, item);
    onChange(next);
  };
  return (
    <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Title order={3} size="h6" component="legend">
        {t('admin.custom_fields.options')}
      </Title>
      {options.map((option, i) => (
        <Group key={i} gap="xs" align="end" wrap="nowrap">
          <TextInput
            label={t('admin.custom_fields.option_value')}
            value={option.value}
            onChange={(e) => set(i, { value: e.currentTarget.value })}
            size="sm"
          />
          <TextInput
            label={t('admin.custom_fields.option_label')}
            value={option.labels.en ?? ''}
            onChange={(e) => set(i, { labels: { ...option.labels, en: e.currentTarget.value } })}
            size="sm"
          />
          <Checkbox label={t('admin.custom_fields.retired')} checked={option.retired ?? false} onChange={(e) => set(i, { retired: e.currentTarget.checked })} mb={8} />
          <ActionIcon variant="default" aria-label={t('admin.custom_fields.move_up', { value: option.value })} disabled={i === 0} onClick={() => move(i, -1)} mb={4}>
            ↑
          </ActionIcon>
          <ActionIcon
            variant="default"
            aria-label={t('admin.custom_fields.move_down', { value: option.value })}
            disabled={i === options.length - 1}
            onClick={() => move(i, 1)}
            mb={4}
          >
            ↓
          </ActionIcon>
          <ActionIcon variant="default" aria-label={t('admin.custom_fields.remove_option', { value: option.value })} onClick={() => onChange(options.filter((_, j) => j !== i))} mb={4}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Button variant="default" size="compact-sm" w="fit-content" onClick={() => onChange([...options, { value: '', labels: { en: '' }, retired: false }])}>
        {t('admin.custom_fields.add_option')}
      </Button>
    </Stack>
  );
}

/** The definition form: new (every property) or existing (key and object fixed). */
function CustomFieldForm({ field }: { field: CustomField | null }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const queues = useQueues().data ?? [];
  const types = useTicketTypes().data ?? [];
  const [objectType, setObjectType] = useState<CustomFieldObject>(field?.object_type ?? 'ticket');
  const [key, setKey] = useState(field?.key ?? '');
  const [fieldType, setFieldType] = useState<CustomFieldType>(field?.field_type ?? 'text');
  const [labels, setLabels] = useState<Record<string, string>>(field?.labels ?? { en: '' });
  const [required, setRequired] = useState(field?.required ?? false);
  const [pattern, setPattern] = useState(field?.pattern ?? '');
  const [min, setMin] = useState(field?.min ?? '');
  const [max, setMax] = useState(field?.max ?? '');
  const [maxLength, setMaxLength] = useState<number | string>(field?.max_length ?? '');
  const [queueIds, setQueueIds] = useState<string[]>((field?.queue_ids ?? []).map(String));
  const [typeIds, setTypeIds] = useState<string[]>((field?.type_ids ?? []).map(String));
  const [visibility, setVisibility] = useState(field?.customer_visibility ?? 'hidden');
  const [position, setPosition] = useState<number | string>(field?.position ?? 0);
  const [active, setActive] = useState(field?.active ?? true);
  const [options, setOptions] = useState<CustomFieldOption[]>(field?.options ?? []);
  const [saved, setSaved] = useState(false);
  const isText = ['text', 'textarea', 'url', 'email'].includes(fieldType);
  const isOrdered = ['integer', 'decimal', 'date', 'datetime'].includes(fieldType);
  const hasOptions = fieldType === 'dropdown' || fieldType === 'multiselect';
  const scoped = objectType === 'ticket' || objectType === 'article';
  const cleanLabels = Object.fromEntries(Object.entries(labels).filter(([, v]) => v.trim()));
  const body: CustomFieldChanges = {
    field_type: fieldType,
    labels: cleanLabels,
    required,
    pattern: isText && pattern ? pattern : null,
    min: isOrdered && min ? min : null,
    max: isOrdered && max ? max : null,
    max_length: isText && typeof maxLength === 'number' ? maxLength : null,
    queue_ids: scoped && queueIds.length ? queueIds.map(Number) : null,
    type_ids: scoped && typeIds.length ? typeIds.map(Number) : null,
    customer_visibility: visibility,
    position: typeof position === 'number' ? position : 0,
    active,
    options: hasOptions ? options : [],
  };
  const save = useMutation({
    mutationFn: () => (field ? updateCustomField(field.id, body) : createCustomField({ ...body, object_type: objectType, key: key.trim(), labels: cleanLabels, field_type: fieldType })),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
      setSaved(true);
      if (!field) await navigate(`/admin/custom-fields/${result.id}`);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: { key_taken: 'key' } }) : null;
  const labelError = Object.entries(failure?.fields ?? {}).find(([name]) => name.startsWith('labels'))?.[1];
  const optionError = Object.entries(failure?.fields ?? {}).find(([name]) => name.startsWith('options'))?.[1];
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('admin.custom_fields.object')}
              data={OBJECTS.map((o) => ({ value: o, label: t(`admin.custom_fields.object_${o}`) }))}
              value={objectType}
              onChange={(v) => v && setObjectType(v)}
              allowDeselect={false}
              disabled={field !== null}
              error={failure?.fields.object_type}
            />
            <TextInput
              label={t('admin.custom_fields.key')}
              description={t('admin.custom_fields.key_hint')}
              required
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              disabled={field !== null}
              error={failure?.fields.key}
            />
            <Select
              label={t('admin.custom_fields.type')}
              data={FIELD_TYPES.map((type) => ({ value: type, label: t(`admin.custom_fields.type_${type}`) }))}
              value={fieldType}
              onChange={(v) => v && setFieldType(v)}
              allowDeselect={false}
              error={failure?.fields.field_type}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            {LANGUAGES.map((language) => (
              <TextInput
                key={language}
                label={t(`admin.custom_fields.label_${language}`)}
                required={language === 'en'}
                value={labels[language] ?? ''}
                onChange={(e) => setLabels({ ...labels, [language]: e.currentTarget.value })}
                error={failure?.fields[`labels.${language}`] ?? (language === 'en' ? labelError : undefined)}
              />
            ))}
          </SimpleGrid>
          {hasOptions && <OptionEditor options={options} onChange={setOptions} error={optionError} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {isText && <TextInput label={t('admin.custom_fields.pattern')} description={t('admin.custom_fields.pattern_hint')} value={pattern} onChange={(e) => setPattern(e.currentTarget.value)} error={failure?.fields.pattern} />}
            {isText && <NumberInput label={t('admin.custom_fields.max_length')} min={1} allowDecimal={false} value={maxLength} onChange={setMaxLength} error={failure?.fields.max_length} />}
            {isOrdered && <TextInput label={t('admin.custom_fields.min')} value={min} onChange={(e) => setMin(e.currentTarget.value)} error={failure?.fields.min} />}
            {isOrdered && <TextInput label={t('admin.custom_fields.max')} value={max} onChange={(e) => setMax(e.currentTarget.value)} error={failure?.fields.max} />}
          </SimpleGrid>
          {scoped && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <MultiSelect
                label={t('admin.custom_fields.queues')}
                placeholder={t('admin.custom_fields.everywhere')}
                data={queues.map((q) => ({ value: String(q.id), label: q.name }))}
                value={queueIds}
                onChange={setQueueIds}
                clearable
                error={failure?.fields.queue_ids}
              />
              <MultiSelect
                label={t('admin.custom_fields.types')}
                placeholder={t('admin.custom_fields.everywhere')}
                data={types.map((type) => ({ value: String(type.id), label: type.name }))}
                value={typeIds}
                onChange={setTypeIds}
                clearable
                error={failure?.fields.type_ids}
              />
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('admin.custom_fields.visibility')}
              data={(['hidden', 'read_only', 'editable'] as const).map((v) => ({ value: v, label: t(`admin.custom_fields.visibility_${v}`) }))}
              value={visibility}
              onChange={(v) => v && setVisibility(v)}
              allowDeselect={false}
            />
            <NumberInput label={t('admin.custom_fields.position')} min={0} max={10000} allowDecimal={false} value={position} onChange={setPosition} error={failure?.fields.position} />
          </SimpleGrid>
          <Switch label={t('admin.custom_fields.required')} checked={required} onChange={(e) => setRequired(e.currentTarget.checked)} />
          {field && <Switch label={t('agents.is_active')} description={t('admin.custom_fields.active_hint')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
          <FormFooter submitLabel={field ? t('common.save') : t('admin.custom_fields.create')} saving={save.isPending} disabled={!key.trim()} status={saved ? t('common.saved') : ''} />
        </Stack>
      </form>
    </Paper>
  );
}

/** Administration → Custom fields → New field (`POST /api/v1/custom-fields`). */
export function NewCustomFieldPage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: '/admin/custom-fields', label: t('admin.custom_fields.back') }} title={t('admin.custom_fields.new')} maw={960}>
      <CustomFieldForm field={null} />
    </FormPage>
  );
}

/** Administration → Custom fields → a field (`PATCH /api/v1/custom-fields/{id}`). */
export function EditCustomFieldPage() {
  const { t } = useTranslation();
  return (
    <LoadById queryKey={(id) => [...CUSTOM_FIELDS_KEY, 'one', id]} load={getCustomField}>
      {(field) => (
        <FormPage back={{ to: '/admin/custom-fields', label: t('admin.custom_fields.back') }} title={t('admin.custom_fields.edit', { key: field.key })} maw={960}>
          <CustomFieldForm key={`${field.id}-${field.updated_at}`} field={field} />
        </FormPage>
      )}
    </LoadById>
  );
}
