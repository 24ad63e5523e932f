import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { listRoles } from '../../services/organisation';
import { orgKeys } from './keys';
import { NewOrgForm, OrgTable } from './org';

/** Administration → Roles: bundles of rights on groups, given to agents. */
export function RolesPage() {
  const { t } = useTranslation();
  const roles = useQuery({ queryKey: orgKeys.roles, queryFn: listRoles });
  return (
    <Stack maw={900}>
      <PageTitle text={t('admin.roles.title')} />
      <Text size="sm" c="dimmed">
        {t('admin.roles.intro')}
      </Text>
      <ErrorAlert error={roles.error} />
      <OrgTable caption={t('admin.roles.title')} items={roles.data ?? []} linkTo={(id) => `/admin/roles/${id}`} />
      {roles.isSuccess && roles.data.length === 0 && <Text size="sm">{t('admin.roles.none')}</Text>}
      <NewOrgForm kind="role" />
    </Stack>
  );
}
