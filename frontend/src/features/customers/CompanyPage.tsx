import { Anchor, Group, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { CursorTable, type Column } from '../../components/CursorTable';
import { LoadById } from '../../components/LoadById';
import { FormFooter, FormPage, Section } from '../../components/FormParts';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createCompany,
  getCompany,
  listCustomers,
  updateCompany,
  type Company,
  type CompanyChanges,
  type Customer,
} from '../../services/customers';
import { listTickets, type TicketFilter } from '../../services/tickets';
import { ticketKeys } from '../tickets/keys';
import { TicketTable } from '../tickets/TicketTable';
import { ActiveBadge } from './CustomersPage';
import { CUSTOMERS_KEY, customerKeys } from './keys';
import { FieldsEditor } from '../customFields/FieldsEditor';

const FIELDS = ['name', 'email_domain', 'notes', 'active'] as const;
const CODE_FIELDS = { name_taken: 'name' } as const;

interface CompanyValues {
  name: string;
  emailDomain: string;
  notes: string;
  active: boolean;
}

function CompanyForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  saved,
}: {
  initial: CompanyValues;
  submitLabel: string;
  onSubmit: (values: CompanyValues) => void;
  pending: boolean;
  error: unknown;
  saved?: boolean;
}) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const [values, setValues] = useState(initial);
  const set = (changes: Partial<CompanyValues>) => setValues((previous) => ({ ...previous, ...changes }));
  const failure = error ? mapError(error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert message={failure?.message ?? null} />
        <TextInput label={t('companies.name')} required value={values.name} onChange={(e) => set({ name: e.currentTarget.value })} error={failure?.fields.name} />
        <TextInput
          label={t('companies.email_domain')}
          description={t('companies.email_domain_hint')}
          placeholder="example.org"
          value={values.emailDomain}
          onChange={(e) => set({ emailDomain: e.currentTarget.value })}
          error={failure?.fields.email_domain}
        />
        <Textarea label={t('companies.notes')} autosize minRows={2} value={values.notes} onChange={(e) => set({ notes: e.currentTarget.value })} error={failure?.fields.notes} />
        <Switch label={t('agents.is_active')} checked={values.active} onChange={(e) => set({ active: e.currentTarget.checked })} error={failure?.fields.active} />
        <FormFooter submitLabel={submitLabel} saving={pending} status={saved && !pending ? t('common.saved') : ''} />
      </Stack>
    </form>
  );
}

/** New customer company (`POST /api/v1/customer-companies`). */
export function NewCompanyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: CompanyValues) =>
      createCompany({
        name: values.name.trim(),
        ...(values.emailDomain.trim() && { email_domain: values.emailDomain.trim() }),
        ...(values.notes.trim() && { notes: values.notes.trim() }),
        active: values.active,
      }),
    onSuccess: async (company) => {
      await queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
      await navigate(`/agent/companies/${company.id}`);
    },
  });
  return (
    <FormPage back={{ to: '/agent/customers?tab=companies', label: t('companies.back') }} title={t('companies.new')}>
      <Paper withBorder p="md">
        <CompanyForm
          initial={{ name: '', emailDomain: '', notes: '', active: true }}
          submitLabel={t('companies.create')}
          onSubmit={(values) => create.mutate(values)}
          pending={create.isPending}
          error={create.error}
        />
      </Paper>
    </FormPage>
  );
}

/** A company's page (`/agent/companies/{id}`): its tickets, its customers, and its details to edit. */
export function CompanyPage() {
  return (
    <LoadById queryKey={customerKeys.company} load={getCompany}>
      {(company) => <CompanyView key={company.id} company={company} />}
    </LoadById>
  );
}

function CompanyView({ company }: { company: Company }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (values: CompanyValues) => {
      const changes: CompanyChanges = {};
      if (values.name.trim() !== company.name) changes.name = values.name.trim();
      if ((values.emailDomain.trim() || null) !== (company.email_domain ?? null)) changes.email_domain = values.emailDomain.trim() || null;
      if (values.notes !== company.notes) changes.notes = values.notes;
      if (values.active !== company.active) changes.active = values.active;
      return updateCompany(company.id, changes);
    },
    onSuccess: async (updated) => {
      queryClient.setQueryData(customerKeys.company(company.id), updated);
      await queryClient.invalidateQueries({ queryKey: [...CUSTOMERS_KEY, 'companies'] });
      setSaved(true);
    },
  });
  const filter: TicketFilter = { company_id: company.id, sort: '-updated_at' };
  const tickets = useCursorPage(ticketKeys.list(filter), (cursor, limit) => listTickets(filter, cursor, limit));
  const members = useCursorPage(customerKeys.list({ company_id: company.id }), (cursor, limit) =>
    listCustomers({ company_id: company.id }, cursor, limit),
  );
  const memberColumns: Column<Customer>[] = [
    {
      key: 'name',
      header: t('customers.name'),
      cell: (customer) => (
        <Anchor component={Link} to={`/agent/customers/${customer.id}`}>
          {customer.name}
        </Anchor>
      ),
    },
    { key: 'email', header: t('customers.email'), cell: (customer) => customer.email },
    { key: 'status', header: t('agents.status'), cell: (customer) => <ActiveBadge active={customer.active} /> },
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/agent/customers?tab=companies" size="sm">
        {t('companies.back')}
      </Anchor>
      <Stack gap={4}>
        <PageTitle text={company.name} />
        <Group gap="xs">
          {company.email_domain && <Text size="sm">{company.email_domain}</Text>}
          <ActiveBadge active={company.active} />
        </Group>
      </Stack>
      <Section id="company-tickets" title={t('companies.tickets')}>
        <TicketTable
          pager={tickets}
          caption={t('companies.tickets')}
          empty={t('customers.no_tickets')}
          linkTo={(ticket) => `/agent/tickets/${ticket.number}`}
        />
      </Section>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section id="company-members" title={t('companies.customers')}>
          <CursorTable
            pager={members}
            columns={memberColumns}
            rowKey={(customer) => customer.id}
            caption={t('companies.customers')}
            empty={t('companies.no_customers')}
            minWidth={0}
          />
        </Section>
        <Section id="company-fields" title={t('custom_fields.title')}>
          <FieldsEditor
            objectType="company"
            values={company.custom_fields}
            save={(custom_fields) => updateCompany(company.id, { custom_fields })}
            onSaved={(updated) => queryClient.setQueryData(customerKeys.company(company.id), updated)}
          />
        </Section>
        <Section id="company-details" title={t('companies.details')}>
          <CompanyForm
            initial={{ name: company.name, emailDomain: company.email_domain ?? '', notes: company.notes, active: company.active }}
            submitLabel={t('common.save')}
            onSubmit={(values) => {
              setSaved(false);
              save.mutate(values);
            }}
            pending={save.isPending}
            error={save.error}
            saved={saved}
          />
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
