import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../components/PageTitle';

/** Shown on a route the user may not open (the API would answer 403 too). */
export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="forbidden">
      <PageTitle text={t('forbidden.title')} />
      <Text>{t('forbidden.body')}</Text>
      <Anchor component={Link} to="/">
        {t('common.go_home')}
      </Anchor>
    </Stack>
  );
}
