import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A custom field definition. */
export type CustomField = components['schemas']['CustomFieldResponse'];
/** Input for a new custom field. */
export type NewCustomField = components['schemas']['CreateCustomFieldRequest'];
/** Changes to a custom field (`null` clears). */
export type CustomFieldChanges = components['schemas']['UpdateCustomFieldRequest'];
/** An option of a dropdown or multiselect. */
export type CustomFieldOption = components['schemas']['CustomFieldOptionDto'];
/** What a field belongs to. */
export type CustomFieldObject = components['schemas']['ObjectTypeDto'];
/** A field's type. */
export type CustomFieldType = components['schemas']['FieldTypeDto'];
/** One value (its JSON type follows the field's type). */
export type CustomFieldValue = components['schemas']['CustomFieldValue'];
/** Values by key, as sent: `null` clears. */
export type CustomFieldInputs = Record<string, CustomFieldValue | null>;

/** Every type, in the order the admin form offers them. */
export const FIELD_TYPES: readonly CustomFieldType[] = [
  'text',
  'textarea',
  'integer',
  'decimal',
  'date',
  'datetime',
  'checkbox',
  'dropdown',
  'multiselect',
  'url',
  'email',
];

/** The definitions, optionally of one object type (`GET /api/v1/custom-fields`). */
export async function listCustomFields(objectType?: CustomFieldObject): Promise<CustomField[]> {
  return unwrap(await api.GET('/api/v1/custom-fields', { params: { query: objectType ? { object_type: objectType } : {} } })).items;
}

/** One definition. */
export async function getCustomField(id: number): Promise<CustomField> {
  return unwrap(await api.GET('/api/v1/custom-fields/{id}', { params: { path: { id } } }));
}

/** Defines a field (administrators). */
export async function createCustomField(input: NewCustomField): Promise<CustomField> {
  return unwrap(await api.POST('/api/v1/custom-fields', { body: input }));
}

/** Changes a field (administrators). */
export async function updateCustomField(id: number, changes: CustomFieldChanges): Promise<CustomField> {
  return unwrap(await api.PATCH('/api/v1/custom-fields/{id}', { params: { path: { id } }, body: changes }));
}

/** The label of a field or option in `language`, else English, else any, else the key. */
export function labelOf(labels: Record<string, string>, language: string, fallback: string): string {
  return labels[language] ?? labels.en ?? Object.values(labels)[0] ?? fallback;
}

/** Whether a ticket field applies to a queue and type (absent scope: everywhere). */
export function appliesTo(field: CustomField, queueId: number | null, typeId: number | null): boolean {
  const fits = (scope: number[] | null | undefined, id: number | null) => scope == null || (id !== null && scope.includes(id));
  return fits(field.queue_ids, queueId) && fits(field.type_ids, typeId);
}

/** A value as text, for reading (lists joined, booleans as the given words). */
export function valueText(value: CustomFieldValue | undefined, yes: string, no: string): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
