import { describe, expect, it } from 'vitest';

import { fieldChanges } from './changes';

describe('fieldChanges', () => {
  it('lists only the values that differ, with lists joined', () => {
    expect(
      fieldChanges(
        { user: 'ola@uio.no', rights: ['rw'], queue_manager: false },
        { user: 'ola@uio.no', rights: ['ro', 'note'], queue_manager: true },
      ),
    ).toEqual([
      { field: 'rights', before: 'rw', after: 'ro, note' },
      { field: 'queue_manager', before: 'false', after: 'true' },
    ]);
  });

  it('treats a missing side as empty (creation and removal)', () => {
    expect(fieldChanges(null, { name: 'IT' })).toEqual([{ field: 'name', before: null, after: 'IT' }]);
    expect(fieldChanges({ name: 'IT' }, undefined)).toEqual([{ field: 'name', before: 'IT', after: null }]);
  });
});
