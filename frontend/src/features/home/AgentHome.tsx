import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { isLanguage, LANGUAGE_NAMES } from '../../i18n/languages';
import { useFormat } from '../../i18n/useFormat';

/**
 * The agent's start page: who is signed in, with which role, language and time zone, and
 * where to go. The ticket dashboard (my tickets, new in my queues, reminders) joins it when
 * the ticket API exists.
 */
export function AgentHome() {
  const { t } = useTranslation();
  const user = useUser();
  const format = useFormat();
  const language = isLanguage(user.language) ? LANGUAGE_NAMES[user.language] : t('profile.browser_default');

  return (
    <Stack>
      <PageTitle text={t('home.title', { name: user.name })} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="home-account">
          <Title order={2} size="h4" id="home-account" mb="sm">
            {t('home.account')}
          </Title>
          <Stack gap={6}>
            <Group gap="xs">
              <Text fw={500}>{user.name}</Text>
              <Badge variant="light" color={user.is_admin ? 'grape' : 'blue'}>
                {user.is_admin ? t('role.admin') : t('role.agent')}
              </Badge>
            </Group>
            <Text size="sm">{user.email}</Text>
            <Text size="sm">
              {t('home.language')}: {language}
            </Text>
            <Text size="sm">
              {t('home.time_zone')}: {format.timeZone}
            </Text>
            <Text size="sm">
              {t('home.local_time')}: {format.dateTime(new Date().toISOString())}
            </Text>
            <Text size="sm">
              {t('home.member_since')}: {format.date(user.created_at)}
            </Text>
          </Stack>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="home-shortcuts">
          <Title order={2} size="h4" id="home-shortcuts" mb="sm">
            {t('home.shortcuts')}
          </Title>
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            <li>
              <Anchor component={Link} to="/agent/profile">
                {t('home.edit_profile')}
              </Anchor>
            </li>
            <li>
              <Anchor component={Link} to="/agent/tokens">
                {t('home.manage_tokens')}
              </Anchor>
            </li>
            {user.is_admin && (
              <li>
                <Anchor component={Link} to="/admin/agents">
                  {t('home.manage_agents')}
                </Anchor>
              </li>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
