/** One changed value of an audit entry. */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => show(v) ?? '').join(', ');
  return JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The fields whose value differs between `before` and `after`, in the order they appear. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const old = asRecord(before);
  const now = asRecord(after);
  const fields = [...new Set([...Object.keys(now), ...Object.keys(old)])];
  return fields
    .map((field) => ({ field, before: show(old[field]), after: show(now[field]) }))
    .filter((change) => change.before !== change.after);
}
