import type { User } from '../services/me';

/** A link of the navigation. */
export interface NavItem {
  /** Target path. */
  to: string;
  /** i18n key of the label. */
  labelKey: string;
  /** Active only on exactly this path (not below it). */
  end?: boolean;
}

/** A titled group of links. */
export interface NavSection {
  /** Stable id (used for element ids). */
  id: string;
  /** i18n key of the heading. */
  labelKey: string;
  /** The links. */
  links: NavItem[];
}

/**
 * The navigation a user sees: their area (agent or portal) and the administration —
 * everything for administrators, only the groups they manage for queue managers. The agent
 * area's queue tree is drawn by the layout between the workspace and the account sections.
 */
export function navigationFor(
  user: Pick<User, 'kind' | 'is_admin'>,
  options: { managesGroups?: boolean } = {},
): NavSection[] {
  if (user.kind === 'customer') {
    return [
      {
        id: 'portal',
        labelKey: 'nav.section.portal',
        links: [
          { to: '/portal', labelKey: 'nav.portal.tickets', end: true },
          { to: '/portal/new', labelKey: 'nav.portal.new_ticket' },
          { to: '/portal/kb', labelKey: 'nav.portal.kb' },
          { to: '/portal/profile', labelKey: 'nav.profile' },
        ],
      },
    ];
  }
  const sections: NavSection[] = [
    {
      id: 'workspace',
      labelKey: 'nav.section.workspace',
      links: [
        { to: '/agent', labelKey: 'nav.home', end: true },
        { to: '/agent/tickets', labelKey: 'nav.tickets', end: true },
        { to: '/agent/tickets/new', labelKey: 'nav.new_ticket', end: true },
        { to: '/agent/customers', labelKey: 'nav.customers' },
        { to: '/agent/kb', labelKey: 'nav.kb' },
      ],
    },
    {
      id: 'account',
      labelKey: 'nav.section.account',
      links: [
        { to: '/agent/profile', labelKey: 'nav.profile' },
        { to: '/agent/tokens', labelKey: 'nav.tokens' },
      ],
    },
  ];
  if (user.is_admin) {
    sections.push({
      id: 'admin',
      labelKey: 'nav.section.admin',
      links: [
        { to: '/admin/agents', labelKey: 'nav.admin.agents' },
        { to: '/admin/queues', labelKey: 'nav.admin.queues' },
        { to: '/admin/states', labelKey: 'nav.admin.states' },
        { to: '/admin/priorities', labelKey: 'nav.admin.priorities' },
        { to: '/admin/ticket-types', labelKey: 'nav.admin.ticket_types' },
        { to: '/admin/groups', labelKey: 'nav.admin.groups' },
        { to: '/admin/roles', labelKey: 'nav.admin.roles' },
        { to: '/admin/mail-accounts', labelKey: 'nav.admin.mail_accounts' },
        { to: '/admin/postmaster-filters', labelKey: 'nav.admin.filters' },
        { to: '/admin/mail', labelKey: 'nav.admin.mail', end: true },
        { to: '/admin/calendars', labelKey: 'nav.admin.calendars' },
        { to: '/admin/kb-categories', labelKey: 'nav.admin.kb_categories' },
        { to: '/admin/text-modules', labelKey: 'nav.admin.text_modules' },
        { to: '/admin/reply-templates', labelKey: 'nav.admin.reply_templates' },
        { to: '/admin/slas', labelKey: 'nav.admin.slas' },
        { to: '/admin/services', labelKey: 'nav.admin.services' },
        { to: '/admin/custom-fields', labelKey: 'nav.admin.custom_fields' },
        { to: '/admin/notification-rules', labelKey: 'nav.admin.notification_rules' },
        { to: '/admin/notification-templates', labelKey: 'nav.admin.notification_templates' },
        { to: '/admin/jobs', labelKey: 'nav.admin.jobs' },
        { to: '/admin/audit-log', labelKey: 'nav.admin.audit_log' },
      ],
    });
  } else if (options.managesGroups) {
    sections.push({
      id: 'admin',
      labelKey: 'nav.section.admin',
      links: [{ to: '/admin/groups', labelKey: 'nav.admin.groups' }],
    });
  }
  return sections;
}
