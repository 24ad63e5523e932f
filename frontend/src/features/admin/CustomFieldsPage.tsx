import { Anchor, Badge, Group, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { QueryTable } from '../../components/DataTable';
import { labelOf, listCustomFields } from '../../services/customFields';
import { ActiveBadge } from '../customers/CustomersPage';
import { useQueues } from '../tickets/reference';
import { CUSTOM_FIELDS_KEY } from './keys';
import { AdminListHeader } from './parts';

/**
 * Administration → Custom fields: every definition of tickets, articles, customers and
 * companies, in form order, with its type, where it applies, and whether it is required or
 * retired. Fields with values are retired, never deleted.
 */
export function CustomFieldsPage() {
  const { t, i18n } = useTranslation();
  const fields = useQuery({ queryKey: [...CUSTOM_FIELDS_KEY, 'all'], queryFn: () => listCustomFields() });
  const queues = useQueues().data ?? [];
  const queueName = (id: number) => queues.find((q) => q.id === id)?.name ?? `#${id}`;
  const language = i18n.language.slice(0, 2);
  return (
    <Stack>
      <AdminListHeader
        title={t('admin.custom_fields.title')}
        create={{ to: '/admin/custom-fields/new', label: t('admin.custom_fields.new') }}
        intro={t('admin.custom_fields.intro')}
      />
      <QueryTable
        query={fields}
        empty={t('admin.custom_fields.none')}
        caption={t('admin.custom_fields.title')}
        rowKey={(field) => field.id}
        minWidth={760}
        columns={[
          {
            key: 'label',
            header: t('admin.custom_fields.label'),
            cell: (field) => (
              <Anchor component={Link} to={`/admin/custom-fields/${field.id}`}>
                {labelOf(field.labels, language, field.key)}
              </Anchor>
            ),
          },
          { key: 'key', header: t('admin.custom_fields.key'), cell: (field) => <code>{field.key}</code> },
          { key: 'object', header: t('admin.custom_fields.object'), cell: (field) => t(`admin.custom_fields.object_${field.object_type}`) },
          { key: 'type', header: t('admin.custom_fields.type'), cell: (field) => t(`admin.custom_fields.type_${field.field_type}`) },
          {
            key: 'scope',
            header: t('admin.custom_fields.scope'),
            cell: (field) => (field.queue_ids ? field.queue_ids.map(queueName).join(', ') : t('admin.custom_fields.everywhere')),
          },
          {
            key: 'status',
            header: t('agents.status'),
            cell: (field) => (
              <Group gap={4}>
                {field.required && <Badge variant="light">{t('admin.custom_fields.required')}</Badge>}
                <ActiveBadge active={field.active} />
              </Group>
            ),
          },
        ]}
      />
    </Stack>
  );
}
