import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';

import { HomeRedirect, RequireAdmin, RequireGroupAccess, RequireKind, RequireSession } from '../auth/guards';
import { LoginPage } from '../features/auth/LoginPage';
import { AgentHome } from '../features/home/AgentHome';
import { ProfilePage } from '../features/profile/ProfilePage';
import { TokensPage } from '../features/tokens/TokensPage';
import { AppLayout } from '../layout/AppLayout';
import { NotFound } from '../layout/NotFound';
import { RouteError } from '../layout/RouteError';

/** A route whose screen is loaded when first opened (its code is not in the initial bundle). */
function lazyRoute(path: string, load: () => Promise<ComponentType>): RouteObject {
  return { path, lazy: async () => ({ Component: await load() }) };
}

/**
 * The routes. Agents work under `/agent`, customers under `/portal` (its own frame and look),
 * administrators (and, for groups, queue managers) under `/admin`. Everything but the start
 * page, profile and tokens is loaded on demand. Every guard only hides what the API would
 * refuse anyway; the API is the authority.
 */
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  lazyRoute('/forgot-password', async () => (await import('../features/auth/PasswordResetPages')).ForgotPasswordPage),
  lazyRoute('/reset-password', async () => (await import('../features/auth/PasswordResetPages')).ResetPasswordPage),
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'portal',
        element: <RequireKind kind="customer" />,
        children: [
          {
            lazy: async () => ({ Component: (await import('../features/portal/PortalLayout')).PortalLayout }),
            children: [
              { index: true, lazy: async () => ({ Component: (await import('../features/portal/PortalTicketsPage')).PortalTicketsPage }) },
              lazyRoute('new', async () => (await import('../features/portal/PortalNewTicketPage')).PortalNewTicketPage),
              lazyRoute('tickets/:key', async () => (await import('../features/portal/PortalTicketPage')).PortalTicketPage),
              lazyRoute('kb', async () => (await import('../features/portal/PortalKbPage')).PortalKbPage),
              lazyRoute('kb/:id', async () => (await import('../features/portal/PortalKbPage')).PortalKbArticlePage),
              { path: 'profile', element: <ProfilePage /> },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
      {
        element: <AppLayout />,
        children: [
          {
            path: 'agent',
            element: <RequireKind kind="agent" />,
            children: [
              { index: true, element: <AgentHome /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'tokens', element: <TokensPage /> },
              lazyRoute('tickets', async () => (await import('../features/tickets/TicketListPage')).TicketListPage),
              lazyRoute('tickets/new', async () => (await import('../features/tickets/NewTicketPage')).NewTicketPage),
              lazyRoute('tickets/:key', async () => (await import('../features/tickets/TicketPage')).TicketPage),
              lazyRoute('kb', async () => (await import('../features/kb/KbPage')).KbPage),
              lazyRoute('kb/new', async () => (await import('../features/kb/KbArticlePage')).KbArticlePage),
              lazyRoute('kb/:id', async () => (await import('../features/kb/KbArticlePage')).KbArticlePage),
              lazyRoute('saved-searches', async () => (await import('../features/tickets/SavedSearchesPage')).SavedSearchesPage),
              lazyRoute('customers', async () => (await import('../features/customers/CustomersPage')).CustomersPage),
              lazyRoute('customers/new', async () => (await import('../features/customers/CustomerPage')).NewCustomerPage),
              lazyRoute('customers/:id', async () => (await import('../features/customers/CustomerPage')).CustomerPage),
              lazyRoute('companies/new', async () => (await import('../features/customers/CompanyPage')).NewCompanyPage),
              lazyRoute('companies/:id', async () => (await import('../features/customers/CompanyPage')).CompanyPage),
            ],
          },
          {
            path: 'admin',
            children: [
              {
                element: <RequireGroupAccess />,
                children: [
                  lazyRoute('groups', async () => (await import('../features/admin/GroupsPage')).GroupsPage),
                  lazyRoute('groups/:id', async () => (await import('../features/admin/GroupPage')).GroupPage),
                ],
              },
              {
                element: <RequireAdmin />,
                children: [
                  { index: true, element: <Navigate to="agents" replace /> },
                  lazyRoute('agents', async () => (await import('../features/admin/AgentsPage')).AgentsPage),
                  lazyRoute('agents/new', async () => (await import('../features/admin/AgentFormPage')).NewAgentPage),
                  lazyRoute('agents/:id', async () => (await import('../features/admin/AgentFormPage')).EditAgentPage),
                  lazyRoute('queues', async () => (await import('../features/admin/QueuesPage')).QueuesPage),
                  lazyRoute('queues/new', async () => (await import('../features/admin/QueueFormPage')).NewQueuePage),
                  lazyRoute('queues/:id', async () => (await import('../features/admin/QueueFormPage')).EditQueuePage),
                  lazyRoute('states', async () => (await import('../features/admin/StatesPage')).StatesPage),
                  lazyRoute('priorities', async () => (await import('../features/admin/NamedPage')).PrioritiesPage),
                  lazyRoute('ticket-types', async () => (await import('../features/admin/NamedPage')).TicketTypesPage),
                  lazyRoute('roles', async () => (await import('../features/admin/RolesPage')).RolesPage),
                  lazyRoute('roles/:id', async () => (await import('../features/admin/RolePage')).RolePage),
                  lazyRoute('jobs', async () => (await import('../features/admin/JobsPage')).JobsPage),
                  lazyRoute('audit-log', async () => (await import('../features/audit/AuditLogPage')).AuditLogPage),
                  lazyRoute('mail-accounts', async () => (await import('../features/admin/MailAccountsPage')).MailAccountsPage),
                  lazyRoute('mail-accounts/new', async () => (await import('../features/admin/MailAccountFormPage')).NewMailAccountPage),
                  lazyRoute('mail-accounts/:id', async () => (await import('../features/admin/MailAccountFormPage')).EditMailAccountPage),
                  lazyRoute('postmaster-filters', async () => (await import('../features/admin/FiltersPage')).FiltersPage),
                  lazyRoute('postmaster-filters/new', async () => (await import('../features/admin/FilterFormPage')).NewFilterPage),
                  lazyRoute('postmaster-filters/:id', async () => (await import('../features/admin/FilterFormPage')).EditFilterPage),
                  lazyRoute('mail', async () => (await import('../features/admin/MailMessagesPage')).MailMessagesPage),
                  lazyRoute('calendars', async () => (await import('../features/admin/CalendarsPage')).CalendarsPage),
                  lazyRoute('calendars/new', async () => (await import('../features/admin/CalendarFormPage')).NewCalendarPage),
                  lazyRoute('calendars/:id', async () => (await import('../features/admin/CalendarFormPage')).EditCalendarPage),
                  lazyRoute('slas', async () => (await import('../features/admin/SlasPage')).SlasPage),
                  lazyRoute('slas/new', async () => (await import('../features/admin/SlaFormPage')).NewSlaPage),
                  lazyRoute('slas/:id', async () => (await import('../features/admin/SlaFormPage')).EditSlaPage),
                  lazyRoute('services', async () => (await import('../features/admin/ServicesPage')).ServicesPage),
                  lazyRoute('kb-categories', async () => (await import('../features/kb/KbCategoriesPage')).KbCategoriesPage),
                  lazyRoute('text-modules', async () => (await import('../features/kb/TextModulesPage')).TextModulesPage),
                  lazyRoute('reply-templates', async () => (await import('../features/kb/ReplyTemplatesPage')).ReplyTemplatesPage),
                  lazyRoute('custom-fields', async () => (await import('../features/admin/CustomFieldsPage')).CustomFieldsPage),
                  lazyRoute('custom-fields/new', async () => (await import('../features/admin/CustomFieldFormPage')).NewCustomFieldPage),
                  lazyRoute('custom-fields/:id', async () => (await import('../features/admin/CustomFieldFormPage')).EditCustomFieldPage),
                  lazyRoute('notification-rules', async () => (await import('../features/admin/NotificationRulesPage')).NotificationRulesPage),
                  lazyRoute(
                    'notification-templates',
                    async () => (await import('../features/admin/NotificationTemplatesPage')).NotificationTemplatesPage,
                  ),
                  { path: '*', element: <NotFound /> },
                ],
              },
            ],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
