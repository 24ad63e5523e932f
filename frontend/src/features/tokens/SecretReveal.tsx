import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { CreatedApiToken } from '../../services/tokens';

/** Shows a new token's secret once, with a copy button; "Done" forgets it. */
export function SecretReveal({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => {
    heading.current?.focus(); // screen readers land on the secret, not on a vanished form
  }, []);
  return (
    <Alert
      color="teal"
      variant="light"
      title={t('tokens.created.title', { name: token.name })}
      ref={heading}
      tabIndex={-1}
      data-testid="token-secret"
    >
      <Stack gap="sm">
        <Text size="sm">{t('tokens.created.once')}</Text>
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token-secret-value">
          {token.secret}
        </Code>
        <Group>
          <CopyButton value={token.secret}>
            {({ copied, copy }) => (
              <Button onClick={copy}>
                {copied ? t('tokens.created.copied') : t('tokens.created.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={onDone}>
            {t('tokens.created.done')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
