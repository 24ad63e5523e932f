import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { useAuth, useUser } from '../auth/context';

/** Initials of a display name, for the avatar. */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

/** The signed-in user's menu: profile, API tokens (agents), sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const user = useUser();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const area = user.kind === 'agent' ? '/agent' : '/portal';

  const leave = async () => {
    try {
      await signOut();
    } catch {
      // The server could not be told; the session is over here anyway and its refresh
      // token expires on its own.
    }
    await navigate('/login', { replace: true });
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('user_menu.open', { name: user.name })} p={4}>
          <Avatar color="blue" radius="xl" size="sm">
            {initials(user.name)}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="dark">
            {user.name}
          </Text>
          <Text size="xs">{user.email}</Text>
        </Menu.Label>
        <Menu.Item component={Link} to={`${area}/profile`}>
          {t('nav.profile')}
        </Menu.Item>
        {user.kind === 'agent' && (
          <Menu.Item component={Link} to="/agent/tokens">
            {t('nav.tokens')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item onClick={() => void leave()}>{t('user_menu.sign_out')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
