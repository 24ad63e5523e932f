import { Button, Menu } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { ME_KEY, useAuth } from '../auth/context';
import { applyLanguage, currentLanguage } from '../i18n';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/languages';
import { updateMe } from '../services/me';

/**
 * Switches the interface language at once; when signed in, also stores it as the user's
 * language (`PATCH /api/v1/me`), so it follows them to other devices.
 */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (language: Language) => updateMe({ language }),
    onSuccess: (updated) => queryClient.setQueryData(ME_KEY, updated),
  });
  const language = currentLanguage();

  const choose = (next: Language) => {
    void applyLanguage(next);
    if (user && user.language !== next) save.mutate(next);
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="compact-md"
          aria-label={t('language.switch', { language: LANGUAGE_NAMES[language] })}
        >
          {LANGUAGE_NAMES[language]}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((code) => (
          <Menu.Item
            key={code}
            lang={code}
            onClick={() => choose(code)}
            aria-current={code === language ? 'true' : undefined}
            fw={code === language ? 700 : undefined}
          >
            {LANGUAGE_NAMES[code]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
