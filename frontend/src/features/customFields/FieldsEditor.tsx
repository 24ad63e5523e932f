import { Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import type { CustomFieldInputs, CustomFieldObject, CustomFieldValue } from '../../services/customFields';
import { fieldPointers, useCustomFields } from './fields';
import { FieldsSection } from './FieldsSection';

/**
 * The custom fields of a customer, company or (in the portal) ticket, editable in place: only changed values are
 * sent (`null` clears), errors appear beside their fields.
 */
export function FieldsEditor<T>({
  objectType,
  values,
  save,
  onSaved,
  customer = false,
}: {
  objectType: CustomFieldObject;
  /** A customer edits (the portal): only `editable` fields can change. */
  customer?: boolean;
  values: Record<string, CustomFieldValue>;
  save: (changes: CustomFieldInputs) => Promise<T>;
  onSaved: (saved: T) => void;
}) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const fields = useCustomFields(objectType);
  const [draft, setDraft] = useState<CustomFieldInputs>({});
  const [saved, setSaved] = useState(false);
  const changes: CustomFieldInputs = {};
  for (const [key, value] of Object.entries(draft)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(values[key] ?? null)) changes[key] = value;
  }
  const dirty = Object.keys(changes).length > 0;
  const mutation = useMutation({
    mutationFn: () => save(changes),
    onSuccess: (result) => {
      setDraft({});
      setSaved(true);
      onSaved(result);
    },
  });
  const failure = mutation.error ? mapError(mutation.error, { fields: fieldPointers(fields.data) }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (dirty) mutation.mutate();
  };
  if ((fields.data ?? []).length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('custom_fields.none_defined')}
      </Text>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <FieldsSection
          fields={fields.data ?? []}
          values={{ ...values, ...draft }}
          onChange={(next) => {
            setSaved(false);
            setDraft(next);
          }}
          errors={failure?.fields}
          customer={customer}
        />
        <Button type="submit" size="sm" w="fit-content" disabled={!dirty} loading={mutation.isPending}>
          {t('common.save')}
        </Button>
        <Text size="sm" role="status" c="teal.9">
          {saved && !dirty ? t('common.saved') : ''}
        </Text>
      </Stack>
    </form>
  );
}
