import { Button, Modal, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { QueryTable } from '../../components/DataTable';
import { FormFooter, Section } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createService, updateService, type Service, type ServiceChanges } from '../../services/sla';
import { ActiveBadge } from '../customers/CustomersPage';
import { useServices, useSlas } from '../sla/hooks';
import { slaKeys } from '../sla/keys';
import { AdminListHeader } from './parts';

const FIELDS = ['name', 'parent_id', 'sla_id', 'description', 'active'] as const;

/** How deep a service sits in the tree (`IT::Printing` is 1). */
function depthOf(service: Service): number {
  return service.full_name.split('::').length - 1;
}

/** A service's own name, its parent, its SLA, description and (when editing) active. */
function ServiceForm({ service, services, onDone }: { service: Service | null; services: readonly Service[]; onDone: () => void }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const slas = useSlas();
  const [name, setName] = useState(service?.name ?? '');
  const [parentId, setParentId] = useState<string | null>(service?.parent_id != null ? String(service.parent_id) : null);
  const [slaId, setSlaId] = useState<string | null>(service?.sla_id != null ? String(service.sla_id) : null);
  const [description, setDescription] = useState(service?.description ?? '');
  const [active, setActive] = useState(service?.active ?? true);
  const num = (value: string | null) => (value === null ? null : Number(value));
  const save = useMutation({
    mutationFn: () => {
      if (!service) return createService({ name: name.trim(), parent_id: num(parentId), sla_id: num(slaId), description, active: true });
      const changes: ServiceChanges = {};
      if (name.trim() !== service.name) changes.name = name.trim();
      if (num(parentId) !== (service.parent_id ?? null)) changes.parent_id = num(parentId);
      if (num(slaId) !== (service.sla_id ?? null)) changes.sla_id = num(slaId);
      if (description !== service.description) changes.description = description;
      if (active !== service.active) changes.active = active;
      return updateService(service.id, changes);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: slaKeys.services });
      if (!service) {
        setName('');
        setDescription('');
      }
      onDone();
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: { name_taken: 'name' } }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  // Not itself, nor anything below it (the server answers `cycle` otherwise).
  const parents = services
    .filter((s) => !service || (s.id !== service.id && !s.full_name.startsWith(`${service.full_name}::`)))
    .map((s) => ({ value: String(s.id), label: s.full_name }));
  const slaOptions = (slas.data ?? [])
    .filter((sla) => sla.active || sla.id === service?.sla_id)
    .map((sla) => ({ value: String(sla.id), label: sla.name }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <SimpleGrid cols={{ base: 1, sm: service ? 1 : 3 }}>
          <TextInput
            label={t('admin.services.name')}
            description={t('admin.services.name_hint')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={failure?.fields.name}
          />
          <Select
            label={t('admin.services.parent')}
            placeholder={t('admin.services.no_parent')}
            clearable
            searchable
            data={parents}
            value={parentId}
            onChange={setParentId}
            error={failure?.fields.parent_id}
          />
          <Select
            label={t('admin.services.sla')}
            placeholder={t('admin.services.no_sla')}
            clearable
            data={slaOptions}
            value={slaId}
            onChange={setSlaId}
            error={failure?.fields.sla_id}
          />
        </SimpleGrid>
        <Textarea
          label={t('admin.queues.description')}
          autosize
          minRows={1}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={failure?.fields.description}
        />
        {service && <Switch label={t('agents.is_active')} description={t('admin.services.active_hint')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
        <FormFooter submitLabel={service ? t('common.save') : t('admin.services.create')} saving={save.isPending} disabled={!name.trim()} status="" />
      </Stack>
    </form>
  );
}

/**
 * Administration → Services: the service tree by path (`IT::Printing::Colour`), each with its
 * SLA (which wins over the queue's default). Renaming or moving a service renames the paths
 * below it. Deactivated, never deleted: tickets keep their service.
 */
export function ServicesPage() {
  const { t } = useTranslation();
  const services = useServices();
  const slas = useSlas();
  const [editing, setEditing] = useState<Service | null>(null);
  const list = services.data ?? [];
  const slaName = (id: number | null | undefined) => (id == null ? '—' : (slas.data?.find((sla) => sla.id === id)?.name ?? `#${id}`));
  return (
    <Stack>
      <AdminListHeader title={t('admin.services.title')} intro={t('admin.services.intro')} />
      <QueryTable
        query={services}
        empty={t('admin.services.none')}
        caption={t('admin.services.title')}
        rowKey={(service) => service.id}
        minWidth={560}
        columns={[
          {
            key: 'name',
            header: t('admin.services.name'),
            cell: (service) => (
              <Text size="sm" pl={depthOf(service) * 16} title={service.full_name}>
                <VisuallyHidden>{service.full_name}</VisuallyHidden>
                <span aria-hidden="true">{service.name}</span>
              </Text>
            ),
          },
          { key: 'sla', header: t('admin.services.sla'), cell: (service) => slaName(service.sla_id) },
          { key: 'status', header: t('agents.status'), cell: (service) => <ActiveBadge active={service.active} /> },
          {
            key: 'actions',
            header: t('common.actions'),
            hiddenHeader: true,
            cell: (service) => (
              <Button size="compact-sm" variant="default" onClick={() => setEditing(service)} aria-label={t('admin.edit_named', { name: service.full_name })}>
                {t('admin.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Section id="new-service" title={t('admin.services.new')}>
        <ServiceForm service={null} services={list} onDone={() => undefined} />
      </Section>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.edit_named', { name: editing.full_name }) : ''}>
        {editing && <ServiceForm key={editing.id} service={editing} services={list} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
