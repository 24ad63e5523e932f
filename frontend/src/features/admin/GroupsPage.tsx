import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { listGroups } from '../../services/organisation';
import { GROUPS_KEY } from './groupAccess';
import { NewOrgForm, OrgTable } from './org';

/**
 * Administration → Groups: groups own queues, and an agent's rights on a group decide what
 * they may do with those queues' tickets. Administrators see and create every group; queue
 * managers see the groups they manage (the API lists exactly those).
 */
export function GroupsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: listGroups });
  return (
    <Stack maw={900}>
      <PageTitle text={t('admin.groups.title')} />
      <Text size="sm" c="dimmed">
        {user.is_admin ? t('admin.groups.intro_admin') : t('admin.groups.intro_manager')}
      </Text>
      <ErrorAlert error={groups.error} />
      <OrgTable caption={t('admin.groups.title')} items={groups.data ?? []} linkTo={(id) => `/admin/groups/${id}`} />
      {user.is_admin && <NewOrgForm kind="group" />}
    </Stack>
  );
}
