import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { branding } from '../../app/branding';
import { useAuth } from '../../auth/context';
import { afterLoginPath } from '../../auth/paths';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import type { MappedError } from '../../errors/mapError';
import { LanguageSwitcher } from '../../layout/LanguageSwitcher';

/** Sign-in with email (or a customer's login name) and password (`POST /api/v1/auth/login`, then `GET /api/v1/me`). */
export function LoginPage() {
  const { t } = useTranslation();
  const { status, user, signIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const mapError = useErrorMapper();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needsOtp, setNeedsOtp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<MappedError | null>(null);
  const next = params.get('next');

  useEffect(() => {
    document.title = `${t('login.title')} · ${branding.productName}`;
  }, [t]);

  if (status === 'signed-in' && user && !busy) {
    return <Navigate to={afterLoginPath(next, user)} replace />;
  }

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const me = await signIn(email.trim(), password, needsOtp ? otp.trim() : undefined);
      await navigate(afterLoginPath(next, me), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'second_factor_required') {
        setNeedsOtp(true);
        setBusy(false);
        return;
      }
      setFailure(mapError(error, { fields: ['email', 'password'] }));
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Group justify="space-between" align="center">
              <Title order={1} size="h2">
                {branding.productName}
              </Title>
              <LanguageSwitcher />
            </Group>
            <Title order={2} size="h4" fw={500}>
              {t('login.title')}
            </Title>
            {params.get('expired') === '1' && !failure && (
              <Alert color="blue" role="status">
                {t('login.session_expired')}
              </Alert>
            )}
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput
              label={t('login.email')}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={failure?.fields.email}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={failure?.fields.password}
            />
            {needsOtp && (
              <TextInput
                label={t('login.otp')}
                description={t('login.otp_hint')}
                autoComplete="one-time-code"
                inputMode="numeric"
                autoFocus
                required
                value={otp}
                onChange={(event) => setOtp(event.currentTarget.value)}
              />
            )}
            <Button type="submit" loading={busy} fullWidth>
              {t('login.submit')}
            </Button>
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t('login.forgot')}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
