import { Checkbox, MultiSelect, NumberInput, Select, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { labelOf, type CustomField, type CustomFieldValue } from '../../services/customFields';

/** The input of one custom field, by its type, with its error beside it. */
export function FieldInput({
  field,
  value,
  onChange,
  error,
  readOnly = false,
}: {
  field: CustomField;
  value: CustomFieldValue | null | undefined;
  onChange: (value: CustomFieldValue | null) => void;
  error?: string;
  readOnly?: boolean;
}) {
  const { i18n } = useTranslation();
  const language = i18n.language.slice(0, 2);
  const label = labelOf(field.labels, language, field.key);
  const common = { label, required: field.required, error, disabled: readOnly };
  const options = field.options
    .filter((o) => !o.retired || o.value === value || (Array.isArray(value) && value.includes(o.value)))
    .map((o) => ({ value: o.value, label: labelOf(o.labels, language, o.value) }));
  const text = typeof value === 'string' ? value : '';
  switch (field.field_type) {
    case 'textarea':
      return <Textarea {...common} autosize minRows={2} value={text} onChange={(e) => onChange(e.currentTarget.value || null)} />;
    case 'integer':
      return (
        <NumberInput
          {...common}
          allowDecimal={false}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
        />
      );
    case 'checkbox':
      return <Checkbox label={label} disabled={readOnly} error={error} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'dropdown':
      return <Select {...common} clearable data={options} value={text || null} onChange={(v) => onChange(v)} />;
    case 'multiselect':
      return (
        <MultiSelect {...common} clearable data={options} value={Array.isArray(value) ? value : []} onChange={(v) => onChange(v.length ? v : null)} />
      );
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(e) => onChange(e.currentTarget.value || null)} />;
    case 'datetime':
      return (
        <TextInput
          {...common}
          type="datetime-local"
          value={text ? text.slice(0, 16) : ''}
          onChange={(e) => onChange(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : null)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          type={field.field_type === 'email' ? 'email' : field.field_type === 'url' ? 'url' : 'text'}
          inputMode={field.field_type === 'decimal' ? 'decimal' : undefined}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
  }
}
