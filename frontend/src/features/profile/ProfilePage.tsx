import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { SessionList } from '../identity/SessionList';
import { TwoFactorSection } from '../identity/TwoFactorSection';
import { NotificationPreferences } from './NotificationPreferences';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';

/**
 * "My profile": name, language and time zone, and the password (agents and customers); for
 * agents also which notifications they get, and how.
 */
export function ProfilePage() {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <Stack maw={640}>
      <PageTitle text={t('profile.title')} />
      <ProfileForm />
      <PasswordForm />
      <TwoFactorSection />
      <SessionList />
      {user.kind === 'agent' && <NotificationPreferences />}
    </Stack>
  );
}
