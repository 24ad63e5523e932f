import { Alert, Button, Code, Group, Image, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../errors/ErrorAlert';
import {
  confirmTwoFactor,
  disableTwoFactor,
  getMyTwoFactor,
  regenerateRecoveryCodes,
  startTwoFactor,
  type TwoFactorSetup,
} from '../../services/twoFactor';
import { TWO_FACTOR_KEY } from './keys';

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="teal" title={t('identity.two_factor.codes_title')} data-testid="recovery-codes">
      <Stack gap="xs">
        <Text size="sm">{t('identity.two_factor.codes_once')}</Text>
        <SimpleGrid cols={2} spacing={4}>
          {codes.map((code) => (
            <Code key={code}>{code}</Code>
          ))}
        </SimpleGrid>
        <Button variant="default" w="fit-content" onClick={onDone}>
          {t('tokens.created.done')}
        </Button>
      </Stack>
    </Alert>
  );
}

/**
 * Two-factor authentication in the profile: set up an authenticator app (password, QR code,
 * first code), see the recovery codes once, make new ones, or turn it off when not required.
 */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: TWO_FACTOR_KEY, queryFn: getMyTwoFactor });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: TWO_FACTOR_KEY });
  const start = useMutation({ mutationFn: () => startTwoFactor(password), onSuccess: setSetup });
  const confirm = useMutation({
    mutationFn: () => confirmTwoFactor(code.trim()),
    onSuccess: async (recovery) => {
      setSetup(null);
      setCode('');
      setPassword('');
      setCodes(recovery);
      await queryClient.invalidateQueries();
    },
  });
  const regenerate = useMutation({
    mutationFn: () => regenerateRecoveryCodes(code.trim()),
    onSuccess: async (recovery) => {
      setCode('');
      setCodes(recovery);
      await refresh();
    },
  });
  const disable = useMutation({
    mutationFn: () => disableTwoFactor(password),
    onSuccess: async () => {
      setPassword('');
      await refresh();
    },
  });
  const error = status.error ?? start.error ?? confirm.error ?? regenerate.error ?? disable.error;
  const state = status.data;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="two-factor">
      <Stack>
        <Title order={2} size="h4" id="two-factor">
          {t('identity.two_factor.title')}
        </Title>
        <ErrorAlert error={error} />
        {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
        {state && !state.enabled && state.required && (
          <Alert color="yellow" role="status">
            {t('identity.two_factor.required')}
          </Alert>
        )}
        {state && !state.enabled && !setup && (
          <>
            <Text size="sm">{t('identity.two_factor.explain')}</Text>
            <PasswordInput
              label={t('identity.two_factor.confirm_password')}
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button w="fit-content" loading={start.isPending} disabled={!password} onClick={() => start.mutate()}>
              {t('identity.two_factor.set_up')}
            </Button>
          </>
        )}
        {setup && (
          <>
            <Text size="sm">{t('identity.two_factor.scan')}</Text>
            <Image
              src={`data:image/svg+xml;base64,${btoa(setup.qr_svg)}`}
              alt={t('identity.two_factor.qr_alt')}
              w={200}
              h={200}
            />
            <Text size="sm">
              {t('identity.two_factor.secret')} <Code data-testid="totp-secret">{setup.secret}</Code>
            </Text>
            <Group align="flex-end">
              <TextInput
                label={t('identity.two_factor.code')}
                autoComplete="one-time-code"
                inputMode="numeric"
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              <Button loading={confirm.isPending} disabled={!code.trim()} onClick={() => confirm.mutate()}>
                {t('identity.two_factor.confirm')}
              </Button>
            </Group>
          </>
        )}
        {state?.enabled && (
          <>
            <Text size="sm">{t('identity.two_factor.on', { count: state.recovery_codes_left })}</Text>
            <Group align="flex-end">
              <TextInput
                label={t('identity.two_factor.code')}
                autoComplete="one-time-code"
                inputMode="numeric"
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              <Button variant="default" loading={regenerate.isPending} disabled={!code.trim()} onClick={() => regenerate.mutate()}>
                {t('identity.two_factor.new_codes')}
              </Button>
            </Group>
            {!state.required && (
              <Group align="flex-end">
                <PasswordInput
                  label={t('identity.two_factor.confirm_password')}
                  autoComplete="current-password"
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                />
                <Button color="red.9" variant="outline" loading={disable.isPending} disabled={!password} onClick={() => disable.mutate()}>
                  {t('identity.two_factor.turn_off')}
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
