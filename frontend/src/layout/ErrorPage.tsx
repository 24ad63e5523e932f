import { Button, Container, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../components/PageTitle';
import { ErrorAlert } from '../errors/ErrorAlert';

/** A page that could not load (server unreachable, internal error), with a retry button. */
export function ErrorPage({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Stack>
        <PageTitle text={t('error_page.title')} />
        <ErrorAlert error={error} />
        <Button onClick={onRetry} w="fit-content">
          {t('common.retry')}
        </Button>
      </Stack>
    </Container>
  );
}
