import { Anchor, Button, Checkbox, Group, Paper, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { useUser } from '../../auth/context';
import { LoadById } from '../../components/LoadById';
import { FormFooter, FormPage, Section } from '../../components/FormParts';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createCustomer,
  getCompany,
  getCustomer,
  updateCustomer,
  type Customer,
  type CustomerChanges,
  type NewCustomer,
} from '../../services/customers';
import { listTickets, type TicketFilter } from '../../services/tickets';
import { ticketKeys } from '../tickets/keys';
import { TicketTable } from '../tickets/TicketTable';
import { CompanyPicker, type PickedCompany } from './CompanyPicker';
import { ActiveBadge } from './CustomersPage';
import { CUSTOMERS_KEY, customerKeys } from './keys';
import { FieldsEditor } from '../customFields/FieldsEditor';

const FIELDS = ['name', 'email', 'login', 'company_id', 'sees_company_tickets', 'password', 'active'] as const;
const CODE_FIELDS = { email_taken: 'email', login_taken: 'login' } as const;

/** The values of the customer form. */
interface CustomerValues {
  name: string;
  email: string;
  login: string;
  company: PickedCompany | null;
  seesCompanyTickets: boolean;
  password: string;
  active: boolean;
}

/**
 * The customer form (new and edit). Password and active are for administrators only (the
 * API refuses them to other agents), so only administrators see them.
 */
function CustomerForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  saved,
}: {
  initial: CustomerValues;
  submitLabel: string;
  onSubmit: (values: CustomerValues) => void;
  pending: boolean;
  error: unknown;
  saved?: boolean;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const mapError = useErrorMapper();
  const [values, setValues] = useState(initial);
  const set = (changes: Partial<CustomerValues>) => setValues((previous) => ({ ...previous, ...changes }));
  const failure = error ? mapError(error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert message={failure?.message ?? null} />
        <TextInput label={t('customers.name')} required value={values.name} onChange={(e) => set({ name: e.currentTarget.value })} error={failure?.fields.name} />
        <TextInput label={t('customers.email')} type="email" required value={values.email} onChange={(e) => set({ email: e.currentTarget.value })} error={failure?.fields.email} />
        <TextInput
          label={t('customers.login')}
          description={t('customers.login_hint')}
          value={values.login}
          onChange={(e) => set({ login: e.currentTarget.value })}
          error={failure?.fields.login}
        />
        <CompanyPicker
          label={t('customers.company')}
          description={t('customers.company_hint')}
          value={values.company}
          onChange={(company) => set({ company })}
          error={failure?.fields.company_id}
        />
        <Checkbox
          label={t('customers.sees_company_tickets')}
          checked={values.seesCompanyTickets}
          onChange={(e) => set({ seesCompanyTickets: e.currentTarget.checked })}
          error={failure?.fields.sees_company_tickets}
        />
        {user.is_admin && (
          <>
            <PasswordInput
              label={t('customers.password')}
              description={t('customers.password_hint')}
              autoComplete="new-password"
              value={values.password}
              onChange={(e) => set({ password: e.currentTarget.value })}
              error={failure?.fields.password}
            />
            <Switch label={t('agents.is_active')} checked={values.active} onChange={(e) => set({ active: e.currentTarget.checked })} error={failure?.fields.active} />
          </>
        )}
        <FormFooter submitLabel={submitLabel} saving={pending} status={saved && !pending ? t('common.saved') : ''} />
      </Stack>
    </form>
  );
}

/** New customer (`POST /api/v1/customers`). */
export function NewCustomerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: CustomerValues) => {
      const input: NewCustomer = { name: values.name.trim(), email: values.email.trim() };
      if (values.login.trim()) input.login = values.login.trim();
      if (values.company) input.company_id = values.company.id;
      if (values.seesCompanyTickets) input.sees_company_tickets = true;
      if (values.password) input.password = values.password;
      return createCustomer(input);
    },
    onSuccess: async (customer) => {
      await queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
      await navigate(`/agent/customers/${customer.id}`);
    },
  });
  return (
    <FormPage back={{ to: '/agent/customers', label: t('customers.back') }} title={t('customers.new')}>
      <Paper withBorder p="md">
        <CustomerForm
          initial={{ name: '', email: '', login: '', company: null, seesCompanyTickets: false, password: '', active: true }}
          submitLabel={t('customers.create')}
          onSubmit={(values) => create.mutate(values)}
          pending={create.isPending}
          error={create.error}
        />
      </Paper>
    </FormPage>
  );
}

/** A customer's page (`/agent/customers/{id}`): details to edit, and all their tickets. */
export function CustomerPage() {
  return (
    <LoadById queryKey={customerKeys.one} load={getCustomer}>
      {(customer) => <CustomerView key={customer.id} customer={customer} />}
    </LoadById>
  );
}

function CustomerView({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const company = useQuery({
    queryKey: customerKeys.company(customer.company_id ?? 0),
    queryFn: () => getCompany(customer.company_id ?? 0),
    enabled: customer.company_id != null,
  });
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (values: CustomerValues) => {
      const changes: CustomerChanges = {};
      if (values.name.trim() !== customer.name) changes.name = values.name.trim();
      if (values.email.trim().toLowerCase() !== customer.email) changes.email = values.email.trim();
      if ((values.login.trim() || null) !== (customer.login ?? null)) changes.login = values.login.trim() || null;
      if ((values.company?.id ?? null) !== (customer.company_id ?? null)) changes.company_id = values.company?.id ?? null;
      if (values.seesCompanyTickets !== customer.sees_company_tickets) changes.sees_company_tickets = values.seesCompanyTickets;
      if (values.password) changes.password = values.password;
      if (values.active !== customer.active) changes.active = values.active;
      return updateCustomer(customer.id, changes);
    },
    onSuccess: async (updated) => {
      queryClient.setQueryData(customerKeys.one(customer.id), updated);
      await queryClient.invalidateQueries({ queryKey: [...CUSTOMERS_KEY, 'list'] });
      setSaved(true);
    },
  });
  const filter: TicketFilter = { customer_id: customer.id, sort: '-updated_at' };
  const pager = useCursorPage(ticketKeys.list(filter), (cursor, limit) => listTickets(filter, cursor, limit));

  return (
    <Stack>
      <Anchor component={Link} to="/agent/customers" size="sm">
        {t('customers.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <PageTitle text={customer.name} />
          <Group gap="xs">
            <Text size="sm">{customer.email}</Text>
            <ActiveBadge active={customer.active} />
            {company.data && (
              <Anchor component={Link} to={`/agent/companies/${company.data.id}`} size="sm">
                {company.data.name}
              </Anchor>
            )}
          </Group>
        </Stack>
        <Button component={Link} to={`/agent/tickets/new?customer_id=${customer.id}`}>
          {t('customers.new_ticket')}
        </Button>
      </Group>
      <Section id="customer-tickets" title={t('customers.tickets')}>
        <TicketTable
          pager={pager}
          caption={t('customers.tickets')}
          empty={t('customers.no_tickets')}
          linkTo={(ticket) => `/agent/tickets/${ticket.number}`}
          hide={['customer']}
        />
      </Section>
      <Section id="customer-fields" title={t('custom_fields.title')} maw={640}>
        <FieldsEditor
          objectType="customer"
          values={customer.custom_fields}
          save={(custom_fields) => updateCustomer(customer.id, { custom_fields })}
          onSaved={(updated) => queryClient.setQueryData(customerKeys.one(customer.id), updated)}
        />
      </Section>
      <Section id="customer-details" title={t('customers.details')} maw={640}>
        {(company.isSuccess || customer.company_id == null) && (
          <CustomerForm
            initial={{
              name: customer.name,
              email: customer.email,
              login: customer.login ?? '',
              company: company.data ? { id: company.data.id, name: company.data.name } : null,
              seesCompanyTickets: customer.sees_company_tickets,
              password: '',
              active: customer.active,
            }}
            submitLabel={t('common.save')}
            onSubmit={(values) => {
              setSaved(false);
              save.mutate(values);
            }}
            pending={save.isPending}
            error={save.error}
            saved={saved}
          />
        )}
      </Section>
    </Stack>
  );
}
