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
 * The navigation a user sees: their area (agent or portal) and, for administrators, the
 * administration. Features add their links here (tickets, queues, customers).
 */
export function navigationFor(user: Pick<User, 'kind' | 'is_admin'>): NavSection[] {
  if (user.kind === 'customer') {
    return [
      {
        id: 'portal',
        labelKey: 'nav.section.portal',
        links: [{ to: '/portal/profile', labelKey: 'nav.profile' }],
      },
    ];
  }
  const sections: NavSection[] = [
    {
      id: 'workspace',
      labelKey: 'nav.section.workspace',
      links: [{ to: '/agent', labelKey: 'nav.home', end: true }],
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
      links: [{ to: '/admin/agents', labelKey: 'nav.admin.agents' }],
    });
  }
  return sections;
}
