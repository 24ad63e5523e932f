import { useCallback, useState } from 'react';

/**
 * A form's values and its "saved" flag: every change clears "saved", so the status beside the
 * submit button never describes values the user has since edited.
 */
export function useFormState<T extends object>(initial: T | (() => T)) {
  const [values, setValues] = useState<T>(initial);
  const [saved, setSaved] = useState(false);
  const set = useCallback((changes: Partial<T>) => {
    setSaved(false);
    setValues((previous) => ({ ...previous, ...changes }));
  }, []);
  return { values, set, saved, setSaved };
}
