import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';

/** "My profile": name, language and time zone, and the password (agents and customers). */
export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <Stack maw={640}>
      <PageTitle text={t('profile.title')} />
      <ProfileForm />
      <PasswordForm />
    </Stack>
  );
}
