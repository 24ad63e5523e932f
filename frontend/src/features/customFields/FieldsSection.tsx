import { SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import {
  appliesTo,
  labelOf,
  valueText,
  type CustomField,
  type CustomFieldInputs,
  type CustomFieldValue,
} from '../../services/customFields';
import { FieldInput } from './FieldInput';

/**
 * The inputs of the fields that apply (ticket fields: to the queue and type), each with its
 * error beside it (`errors` by pointer `custom_fields.<key>`).
 */
export function FieldsSection({
  fields,
  values,
  onChange,
  errors,
  queueId = null,
  typeId = null,
  scoped = false,
  customer = false,
}: {
  fields: readonly CustomField[];
  values: CustomFieldInputs;
  onChange: (values: CustomFieldInputs) => void;
  errors?: Record<string, string>;
  queueId?: number | null;
  typeId?: number | null;
  scoped?: boolean;
  /** Customers: fields shown read-only unless `editable`. */
  customer?: boolean;
}) {
  const shown = fields.filter((f) => !scoped || appliesTo(f, queueId, typeId));
  if (shown.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {shown.map((field) => (
        <FieldInputFor
          key={field.id}
          field={field}
          values={values}
          onChange={onChange}
          error={errors?.[`custom_fields.${field.key}`]}
          readOnly={customer && field.customer_visibility !== 'editable'}
        />
      ))}
    </SimpleGrid>
  );
}


function FieldInputFor({
  field,
  values,
  onChange,
  error,
  readOnly,
}: {
  field: CustomField;
  values: CustomFieldInputs;
  onChange: (values: CustomFieldInputs) => void;
  error?: string;
  readOnly: boolean;
}) {
  return (
    <FieldInput
      field={field}
      value={values[field.key]}
      error={error}
      readOnly={readOnly}
      onChange={(value) => onChange({ ...values, [field.key]: value })}
    />
  );
}

/** The values of an object, read-only, labelled in the reader's language. */
export function FieldValues({ fields, values }: { fields: readonly CustomField[]; values: Record<string, CustomFieldValue> }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language.slice(0, 2);
  const shown = fields.filter((f) => values[f.key] !== undefined);
  if (shown.length === 0) return <Text size="sm" c="dimmed">{t('custom_fields.none')}</Text>;
  const optionLabel = (field: CustomField, value: CustomFieldValue) => {
    const pick = (v: string) => labelOf(field.options.find((o) => o.value === v)?.labels ?? {}, language, v);
    if (field.field_type === 'dropdown' && typeof value === 'string') return pick(value);
    if (field.field_type === 'multiselect' && Array.isArray(value)) return value.map(pick).join(', ');
    return valueText(value, t('common.yes'), t('common.no'));
  };
  return (
    <Stack gap={4}>
      <Table variant="vertical" withTableBorder={false} layout="fixed">
        <Table.Tbody>
          {shown.map((field) => (
            <Table.Tr key={field.id}>
              <Table.Th w="40%">{labelOf(field.labels, language, field.key)}</Table.Th>
              <Table.Td>{optionLabel(field, values[field.key] ?? '')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
