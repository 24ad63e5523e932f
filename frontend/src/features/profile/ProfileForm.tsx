import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ME_KEY, useUser } from '../../auth/context';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { applyLanguage } from '../../i18n';
import { allTimeZones, browserTimeZone, formatDateTime, formatNumber } from '../../i18n/format';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, pickLanguage } from '../../i18n/languages';
import { updateMe, type ProfileChanges } from '../../services/me';

/** The value of the "browser default" choice in the selects (the API stores `null`). */
const DEFAULT = '';

/**
 * Name, language and time zone (`PATCH /api/v1/me`). A new language applies at once; the
 * preview shows how dates and numbers will look.
 */
export function ProfileForm() {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState(user.name);
  const [language, setLanguage] = useState(user.language ?? DEFAULT);
  const [timeZone, setTimeZone] = useState(user.time_zone ?? DEFAULT);
  const [saved, setSaved] = useState(false);
  // The header's language switcher changes the stored language too: follow it.
  const [storedLanguage, setStoredLanguage] = useState(user.language);
  if (storedLanguage !== user.language) {
    setStoredLanguage(user.language);
    setLanguage(user.language ?? DEFAULT);
  }

  const save = useMutation({
    mutationFn: (changes: ProfileChanges) => updateMe(changes),
    onSuccess: async (updated) => {
      queryClient.setQueryData(ME_KEY, updated);
      setSaved(true);
      await applyLanguage(
        isLanguage(updated.language) ? updated.language : pickLanguage(navigator.languages),
      );
    },
  });
  const failure = save.error ? mapError(save.error, { fields: ['name', 'language', 'time_zone'] }) : null;

  const languageOptions = useMemo(
    () => [
      { value: DEFAULT, label: t('profile.browser_default') },
      ...LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code] })),
    ],
    [t],
  );
  const zoneOptions = useMemo(
    () => [
      { value: DEFAULT, label: `${t('profile.browser_default')} (${browserTimeZone()})` },
      ...allTimeZones().map((zone) => ({ value: zone, label: zone })),
    ],
    [t],
  );

  const previewLocale = language || pickLanguage(navigator.languages);
  const previewZone = timeZone || browserTimeZone();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    const changes: ProfileChanges = {};
    if (name.trim() !== user.name) changes.name = name.trim();
    if (language !== (user.language ?? DEFAULT)) changes.language = language || null;
    if (timeZone !== (user.time_zone ?? DEFAULT)) changes.time_zone = timeZone || null;
    if (Object.keys(changes).length === 0) {
      setSaved(true);
      return;
    }
    save.mutate(changes);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-details">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4" id="profile-details">
            {t('profile.details')}
          </Title>
          <ErrorAlert message={failure?.message && Object.keys(failure.fields).length === 0 ? failure.message : null} />
          <TextInput label={t('profile.email')} value={user.email} readOnly variant="filled" description={t('profile.email_hint')} />
          <TextInput
            label={t('profile.name')}
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={failure?.fields.name}
          />
          <Select
            label={t('profile.language')}
            data={languageOptions}
            value={language}
            onChange={(value) => setLanguage(value ?? DEFAULT)}
            allowDeselect={false}
            error={failure?.fields.language}
          />
          <Select
            label={t('profile.time_zone')}
            data={zoneOptions}
            value={timeZone}
            onChange={(value) => setTimeZone(value ?? DEFAULT)}
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('common.nothing_found')}
            error={failure?.fields.time_zone}
          />
          <Text size="sm" c="dimmed" data-testid="format-preview">
            {t('profile.preview', {
              date: formatDateTime(new Date().toISOString(), previewLocale, previewZone),
              number: formatNumber(1234567.89, previewLocale),
            })}
          </Text>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            <Text size="sm" role="status" c="teal.9">
              {saved && !save.isPending ? t('common.saved') : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
