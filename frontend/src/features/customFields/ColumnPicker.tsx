import { MultiSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { appliesTo, labelOf, type CustomField } from '../../services/customFields';

/**
 * Chooses the custom fields a ticket list shows as columns: the active ticket fields (in a
 * queue, those whose scope includes it), in the order picked.
 */
export function ColumnPicker({
  fields,
  queueId,
  value,
  onChange,
}: {
  fields: readonly CustomField[];
  queueId: number | null;
  value: readonly string[];
  onChange: (keys: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language.slice(0, 2);
  const offered = fields.filter((f) => f.object_type === 'ticket' && (queueId === null || appliesTo({ ...f, type_ids: null }, queueId, null)));
  if (offered.length === 0) return null;
  return (
    <MultiSelect
      aria-label={t('custom_fields.columns')}
      placeholder={value.length === 0 ? t('custom_fields.columns') : undefined}
      data={offered.map((f) => ({ value: f.key, label: labelOf(f.labels, language, f.key) }))}
      value={value.filter((key) => offered.some((f) => f.key === key))}
      onChange={onChange}
      clearable
      size="xs"
      w={260}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
