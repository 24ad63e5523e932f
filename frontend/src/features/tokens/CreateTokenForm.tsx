import { Button, Group, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useUser } from '../../auth/context';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createMyToken, type CreatedApiToken, type TokenScope } from '../../services/tokens';
import { TOKENS_KEY } from './keys';

/** Lifetimes offered, in days; `never` for no expiry. */
const EXPIRY_CHOICES = ['7', '30', '90', '365', 'never'] as const;

/** Creates a token with name, scope and expiry (`POST /api/v1/me/tokens`). */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('full');
  const [expiry, setExpiry] = useState<string>('90');

  const create = useMutation({
    mutationFn: () =>
      createMyToken({
        name: name.trim(),
        scope,
        expires_in_days: expiry === 'never' ? null : Number(expiry),
      }),
    onSuccess: async (token) => {
      setName('');
      onCreated(token);
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const failure = create.error
    ? mapError(create.error, { fields: ['name', 'scope', 'expires_in_days'] })
    : null;

  const scopes = [
    { value: 'full', label: t('tokens.scope.full') },
    // Only administrators may create mail-gateway tokens (the API answers 403 otherwise).
    ...(user.is_admin ? [{ value: 'mail_gateway', label: t('tokens.scope.mail_gateway') }] : []),
  ];
  const expiries = EXPIRY_CHOICES.map((value) => ({
    value,
    label: value === 'never' ? t('tokens.expiry.never') : t('tokens.expiry.days', { count: Number(value) }),
  }));

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="token-create">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4" id="token-create">
            {t('tokens.create.title')}
          </Title>
          <ErrorAlert message={failure && Object.keys(failure.fields).length === 0 ? failure.message : null} />
          <TextInput
            label={t('tokens.name')}
            description={t('tokens.name_hint')}
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={failure?.fields.name}
          />
          <Group grow align="flex-start">
            <Select
              label={t('tokens.scope')}
              data={scopes}
              value={scope}
              onChange={(value) => setScope(value === 'mail_gateway' ? 'mail_gateway' : 'full')}
              allowDeselect={false}
              error={failure?.fields.scope}
            />
            <Select
              label={t('tokens.expires')}
              data={expiries}
              value={expiry}
              onChange={(value) => setExpiry(value ?? '90')}
              allowDeselect={false}
              error={failure?.fields.expires_in_days}
            />
          </Group>
          <Button type="submit" loading={create.isPending} w="fit-content">
            {t('tokens.create.submit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
