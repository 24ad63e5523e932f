import { useQuery } from '@tanstack/react-query';

import { listCustomFields, type CustomField, type CustomFieldObject } from '../../services/customFields';

/** The active definitions of one object type (cached; forms and pages share them). */
export function useCustomFields(objectType: CustomFieldObject) {
  return useQuery({
    queryKey: ['custom-fields', objectType],
    queryFn: () => listCustomFields(objectType),
    select: (fields: CustomField[]) => fields.filter((f) => f.active),
  });
}

/** The error pointers of fields, for `mapError`'s `fields` (`custom_fields.<key>`). */
export function fieldPointers(fields: readonly CustomField[] | undefined): string[] {
  return (fields ?? []).map((f) => `custom_fields.${f.key}`);
}

