import { Anchor, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { listRoles } from '../../services/organisation';
import { ActiveBadge } from '../customers/CustomersPage';
import { NewOrgForm } from './GroupsPage';
import { orgKeys } from './keys';

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
      <Table striped highlightOnHover>
        <VisuallyHidden component="caption">{t('admin.roles.title')}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('admin.groups.name')}</Table.Th>
            <Table.Th scope="col">{t('admin.groups.description')}</Table.Th>
            <Table.Th scope="col">{t('agents.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(roles.data ?? []).map((role) => (
            <Table.Tr key={role.id}>
              <Table.Td>
                <Anchor component={Link} to={`/admin/roles/${role.id}`}>
                  {role.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{role.description}</Table.Td>
              <Table.Td>
                <ActiveBadge active={role.active} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {roles.isSuccess && roles.data.length === 0 && <Text size="sm">{t('admin.roles.none')}</Text>}
      <NewOrgForm kind="role" />
    </Stack>
  );
}
