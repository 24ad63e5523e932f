import { SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { CustomField, CustomFieldInputs } from '../../services/customFields';
import { FieldInput } from './FieldInput';

/**
 * Inputs for the custom fields of a bulk change: only fields that apply to some selected
 * ticket; a selected ticket a field does not apply to comes back from the server as that
 * ticket's conflict naming the field, and the others change.
 */
export function BulkFields({
  fields,
  values,
  onChange,
}: {
  fields: readonly CustomField[];
  values: CustomFieldInputs;
  onChange: (values: CustomFieldInputs) => void;
}) {
  const { t } = useTranslation();
  if (fields.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} role="group" aria-label={t('custom_fields.bulk_title')}>
      {fields.map((field) => (
        <FieldInput
          key={field.id}
          field={{ ...field, required: false }}
          value={values[field.key]}
          onChange={(value) => onChange({ ...values, [field.key]: value })}
        />
      ))}
    </SimpleGrid>
  );
}
