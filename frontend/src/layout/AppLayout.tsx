import { Anchor, AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';

import { branding } from '../app/branding';
import { useUser } from '../auth/context';
import { homePath } from '../auth/paths';
import { useGroupAccess } from '../features/admin/groupAccess';
import { QueueTreeNav } from '../features/tickets/QueueTreeNav';
import { SavedSearchNav } from '../features/tickets/SavedSearches';
import { LanguageSwitcher } from './LanguageSwitcher';
import { navigationFor } from './navigation';
import { NotificationBell } from './NotificationBell';
import { UserMenu } from './UserMenu';
import { LiveUpdates } from '../live/LiveUpdates';

/**
 * The frame of every signed-in agent or administrator screen: header (product name,
 * language, user menu), the navigation (a drawer below the `sm` breakpoint) and the page. The
 * navigation is built from sections ({@link navigationFor}), with the queue tree after the
 * workspace section. The customer portal has its own frame (`PortalLayout`).
 */
export function AppLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  // Below the `sm` breakpoint the navigation is a drawer; closed, it must also leave the tab
  // order and the accessibility tree (Mantine only slides it out of view).
  const phone = useMediaQuery('(max-width: 48em)');
  const hidden = phone && !opened;

  useEffect(() => {
    close(); // a chosen link closes the drawer on phones
  }, [location.pathname, close]);

  const managesGroups = useGroupAccess() === true;
  const sections = navigationFor(user, { managesGroups });

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <LiveUpdates />
      <a className="skip-link" href="#main">
        {t('nav.skip_to_content')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to={homePath(user)} underline="never" c="dark" fw={700} fz="lg">
              {branding.productName}
            </Anchor>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {user.kind === 'agent' && <NotificationBell />}
            <LanguageSwitcher />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        id="main-navigation"
        component="nav"
        aria-label={t('nav.main')}
        style={hidden ? { visibility: 'hidden' } : undefined}
      >
        <ScrollArea>
          {sections.map((section) => (
            <div key={section.id}>
              {section.id === 'account' && user.kind === 'agent' && (
                <>
                  <QueueTreeNav />
                  <SavedSearchNav />
                </>
              )}
              <div role="group" aria-labelledby={`nav-${section.id}`}>
                <Text id={`nav-${section.id}`} size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4}>
                  {t(section.labelKey)}
                </Text>
                {section.links.map((link) => (
                  <NavLink
                    key={link.to}
                    component={RouterNavLink}
                    to={link.to}
                    end={link.end}
                    label={t(link.labelKey)}
                    active={link.end ? location.pathname === link.to : location.pathname.startsWith(link.to)}
                  />
                ))}
              </div>
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
