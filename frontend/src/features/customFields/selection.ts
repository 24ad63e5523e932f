import { appliesTo, labelOf, type CustomField, type CustomFieldInputs } from '../../services/customFields';

/** The scope of a selected ticket that decides which fields apply to it. */
export interface FieldScope {
  queueId: number;
  typeId: number | null;
}

/** The active ticket fields that apply to at least one of `tickets`, in form order. */
export function fieldsForSelection(fields: readonly CustomField[], tickets: readonly FieldScope[]): CustomField[] {
  return fields.filter((f) => f.active && f.object_type === 'ticket' && tickets.some((t) => appliesTo(f, t.queueId, t.typeId)));
}

/** The values a bulk change sets: the fields given a value (an empty input keeps each ticket's own). */
export function bulkFieldValues(values: CustomFieldInputs): CustomFieldInputs | undefined {
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
  return Object.keys(set).length > 0 ? set : undefined;
}

/** A server's reason with each `custom_fields.<key>` it names written as the field's label. */
export function nameFields(detail: string, fields: readonly CustomField[], language: string): string {
  return detail.replace(/custom_fields\.([a-z][a-z0-9_]*)/g, (whole, key: string) => {
    const field = fields.find((f) => f.key === key);
    return field ? labelOf(field.labels, language, key) : whole;
  });
}
