/** Query key prefix of the agent directory (pages and single agents). */
export const AGENTS_KEY = ['users'] as const;

/** Query keys of the organisation: a group's members, roles. (Groups: `GROUPS_KEY` in groupAccess.ts.) */
export const orgKeys = {
  members: (groupId: number) => ['groups', groupId, 'members'] as const,
  group: (groupId: number) => ['groups', groupId] as const,
  roles: ['roles'] as const,
  role: (roleId: number) => ['roles', roleId] as const,
};

/** Query key prefix of the background jobs. */
export const JOBS_KEY = ['jobs'] as const;

/** Query keys of the mail administration. */
export const MAIL_ACCOUNTS_KEY = ['mail-accounts'] as const;
/** Query key of the postmaster filters. */
export const FILTERS_KEY = ['postmaster-filters'] as const;
/** Query key prefix of the received messages. */
export const MAIL_MESSAGES_KEY = ['mail-messages'] as const;

/** Query key prefix of the custom field definitions (shared with the forms' `['custom-fields', object]`). */
export const CUSTOM_FIELDS_KEY = ['custom-fields'] as const;
