import { Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { useAuth, useUser } from '../../auth/context';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { updateMe } from '../../services/me';

/** The server's minimum password length (see `UpdateMeRequest.new_password`). */
const MIN_LENGTH = 8;

/**
 * Changes the password with the current one (`PATCH /api/v1/me`). The server then ends all
 * sessions of the user, so this one signs in again with the new password at once.
 */
export function PasswordForm() {
  const { t } = useTranslation();
  const user = useUser();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const mapError = useErrorMapper();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const change = useMutation({
    mutationFn: async () => {
      await updateMe({ current_password: current, new_password: next });
      try {
        await signIn(user.email, next);
      } catch {
        await navigate('/login', { replace: true });
      }
    },
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    },
  });
  const failure = change.error
    ? mapError(change.error, { fields: ['current_password', 'new_password'] })
    : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setDone(false);
    const differs = next !== repeat;
    setMismatch(differs);
    if (!differs) change.mutate();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-password">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4" id="profile-password">
            {t('profile.password.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('profile.password.hint')}
          </Text>
          <ErrorAlert message={failure && Object.keys(failure.fields).length === 0 ? failure.message : null} />
          <PasswordInput
            label={t('profile.password.current')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.currentTarget.value)}
            error={failure?.fields.current_password}
          />
          <PasswordInput
            label={t('profile.password.new')}
            autoComplete="new-password"
            required
            description={t('profile.password.min_length', { count: MIN_LENGTH })}
            value={next}
            onChange={(event) => setNext(event.currentTarget.value)}
            error={failure?.fields.new_password}
          />
          <PasswordInput
            label={t('profile.password.repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(event) => setRepeat(event.currentTarget.value)}
            error={mismatch ? t('profile.password.mismatch') : undefined}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('profile.password.submit')}
            </Button>
            <Text size="sm" role="status" c="teal.9">
              {done ? t('profile.password.changed') : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
