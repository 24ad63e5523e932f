import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { branding } from '../../app/branding';
import { ErrorAlert } from '../../errors/ErrorAlert';
import type { MappedError } from '../../errors/mapError';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { LanguageSwitcher } from '../../layout/LanguageSwitcher';
import { confirmPasswordReset, requestPasswordReset } from '../../services/passwordReset';

/** The frame of the signed-out pages: the product, the language, a heading, the form. */
function SignedOutFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${branding.productName}`;
  }, [title]);
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Stack>
          <Group justify="space-between" align="center">
            <Title order={1} size="h2">
              {branding.productName}
            </Title>
            <LanguageSwitcher />
          </Group>
          <Title order={2} size="h4" fw={500}>
            {title}
          </Title>
          {children}
          <Anchor component={Link} to="/login" size="sm">
            {t('reset.back_to_login')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}

/** "Forgot password?" (`/forgot-password`): asks for a reset mail; the same answer for every address. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [failure, setFailure] = useState<MappedError | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await requestPasswordReset(email.trim());
      setSent(true);
    } catch (error) {
      setFailure(mapError(error, { fields: ['email'] }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <SignedOutFrame title={t('reset.forgot_title')}>
      {sent ? (
        <Alert color="teal" role="status">
          {t('reset.sent', { email: email.trim() })}
        </Alert>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Text size="sm">{t('reset.forgot_intro')}</Text>
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={failure?.fields.email}
            />
            <Button type="submit" loading={busy} disabled={!email.trim()} fullWidth>
              {t('reset.send')}
            </Button>
          </Stack>
        </form>
      )}
    </SignedOutFrame>
  );
}

/** The link from the mail (`/reset-password?token=…`): a new password, then sign in with it. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<MappedError | null>(null);
  const [gone, setGone] = useState<string | null>(token ? null : 'reset_token_invalid');
  const mismatch = repeat !== '' && repeat !== password;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await confirmPasswordReset(token, password);
      setDone(true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) setGone(error.code);
      else setFailure(mapError(error, { fields: ['password'] }));
    } finally {
      setBusy(false);
    }
  };
  let body: ReactNode;
  if (done) {
    body = (
      <Alert color="teal" role="status">
        {t('reset.done')}
      </Alert>
    );
  } else if (gone) {
    body = (
      <>
        <Alert color="red" role="alert">
          {t(gone === 'reset_token_expired' ? 'reset.expired' : gone === 'reset_token_used' ? 'reset.used' : 'reset.invalid')}
        </Alert>
        <Anchor component={Link} to="/forgot-password">
          {t('reset.ask_again')}
        </Anchor>
      </>
    );
  } else {
    body = (
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <PasswordInput
            label={t('reset.new_password')}
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={failure?.fields.password}
          />
          <PasswordInput
            label={t('reset.repeat_password')}
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(event) => setRepeat(event.currentTarget.value)}
            error={mismatch ? t('reset.mismatch') : undefined}
          />
          <Button type="submit" loading={busy} disabled={!password || repeat !== password} fullWidth>
            {t('reset.set')}
          </Button>
        </Stack>
      </form>
    );
  }
  return <SignedOutFrame title={t('reset.title')}>{body}</SignedOutFrame>;
}
