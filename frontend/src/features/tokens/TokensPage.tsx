import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import type { CreatedApiToken } from '../../services/tokens';
import { CreateTokenForm } from './CreateTokenForm';
import { SecretReveal } from './SecretReveal';
import { TokenList } from './TokenList';

/**
 * "My API tokens": personal tokens for scripts and systems (`/api/v1/me/tokens`). A new
 * token's secret is shown once, here, and kept only in this page's memory.
 */
export function TokensPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <Stack maw={960}>
      <PageTitle text={t('tokens.title')} />
      <Text>{t('tokens.intro')}</Text>
      {created ? (
        <SecretReveal token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm onCreated={setCreated} />
      )}
      <TokenList />
    </Stack>
  );
}
