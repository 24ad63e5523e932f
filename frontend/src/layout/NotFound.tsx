import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../components/PageTitle';

/** Shown for an unknown address inside the app. */
export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <PageTitle text={t('not_found.title')} />
      <Text>{t('not_found.body')}</Text>
      <Anchor component={Link} to="/">
        {t('common.go_home')}
      </Anchor>
    </Stack>
  );
}
