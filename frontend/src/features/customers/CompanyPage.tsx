import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { CursorTable, type Column } from '../../components/CursorTable';
import { PageLoader } from '../../components/PageLoader';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { NotFound } from '../../layout/NotFound';
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
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          <Text size="sm" role="status" c="teal.9">
            {saved && !pending ? t('common.saved') : ''}
          </Text>
        </Group>
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
    <Stack maw={640}>
      <Anchor component={Link} to="/agent/customers?tab=companies" size="sm">
        {t('companies.back')}
      </Anchor>
      <PageTitle text={t('companies.new')} />
      <Paper withBorder p="md">
        <CompanyForm
          initial={{ name: '', emailDomain: '', notes: '', active: true }}
          submitLabel={t('companies.create')}
          onSubmit={(values) => create.mutate(values)}
          pending={create.isPending}
          error={create.error}
        />
      </Paper>
    </Stack>
  );
}

/** A company's page (`/agent/companies/{id}`): its tickets, its customers, and its details to edit. */
export function CompanyPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const company = useQuery({ queryKey: customerKeys.company(id), queryFn: () => getCompany(id), enabled: valid });
  if (!valid || (company.error instanceof ApiError && company.error.status === 404)) return <NotFound />;
  if (company.error) return <ErrorAlert error={company.error} />;
  if (!company.data) return <PageLoader label={t('common.loading')} />;
  return <CompanyView key={company.data.id} company={company.data} />;
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
      <Paper withBorder p="md" component="section" aria-labelledby="company-tickets">
        <Title order={2} size="h4" id="company-tickets" mb="sm">
          {t('companies.tickets')}
        </Title>
        <TicketTable
          pager={tickets}
          caption={t('companies.tickets')}
          empty={t('customers.no_tickets')}
          linkTo={(ticket) => `/agent/tickets/${ticket.number}`}
        />
      </Paper>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="company-members">
          <Title order={2} size="h4" id="company-members" mb="sm">
            {t('companies.customers')}
          </Title>
          <CursorTable
            pager={members}
            columns={memberColumns}
            rowKey={(customer) => customer.id}
            caption={t('companies.customers')}
            empty={t('companies.no_customers')}
            minWidth={0}
          />
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="company-details">
          <Title order={2} size="h4" id="company-details" mb="sm">
            {t('companies.details')}
          </Title>
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
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
