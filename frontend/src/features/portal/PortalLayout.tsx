import { Anchor, Box, Container, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';

import { branding } from '../../app/branding';
import { LanguageSwitcher } from '../../layout/LanguageSwitcher';
import { navigationFor } from '../../layout/navigation';
import { UserMenu } from '../../layout/UserMenu';
import { useUser } from '../../auth/context';
import classes from './portal.module.css';
import { LiveUpdates } from '../../live/LiveUpdates';

/**
 * The customer portal's own frame: a light, centred page with a teal accent and the few links
 * a customer needs across the top (no side navigation), so it reads as the help desk's public
 * face rather than the agents' workspace. Fits a phone: the links wrap under the title.
 */
export function PortalLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const location = useLocation();
  const links = navigationFor(user)[0]?.links ?? [];
  return (
    <Box className={classes.page}>
      <LiveUpdates />
      <a className="skip-link" href="#main">
        {t('nav.skip_to_content')}
      </a>
      <Box component="header" className={classes.header}>
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Anchor component={Link} to="/portal" underline="never" className={classes.brand}>
              <Text span fw={800} fz="xl" c="teal.9">
                {branding.productName}
              </Text>
              <Text span fz="sm" c="dimmed" ml="xs">
                {t('nav.section.portal')}
              </Text>
            </Anchor>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher />
              <UserMenu />
            </Group>
          </Group>
          <Group component="nav" aria-label={t('nav.main')} gap={4} mt="xs" wrap="wrap">
            {links.map((link) => (
              <NavLink
                key={link.to}
                to={link.to}
                // "My tickets" stays marked on a ticket's page.
                end={link.end && !(link.to === '/portal' && location.pathname.startsWith('/portal/tickets/'))}
                className={classes.link}
              >
                {t(link.labelKey)}
              </NavLink>
            ))}
          </Group>
        </Container>
      </Box>
      <Container size="lg" py="lg" component="main" id="main" tabIndex={-1}>
        <Outlet />
      </Container>
    </Box>
  );
}
