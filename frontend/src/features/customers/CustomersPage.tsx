import { Anchor, Badge, Button, Group, Stack, Tabs, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { CursorTable, type Column } from '../../components/CursorTable';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { listCompanies, listCustomers, type Company, type Customer } from '../../services/customers';
import { customerKeys } from './keys';

/** Active or inactive, as a badge. */
export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={active ? 'teal' : 'gray'} radius="sm">
      {active ? t('agents.active') : t('agents.inactive')}
    </Badge>
  );
}

/**
 * The customer directory (`/agent/customers`): customers and companies, each searchable and
 * server-paginated by cursor, with links to their pages (details and tickets).
 */
export function CustomersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'companies' ? 'companies' : 'customers';
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('customers.title')} />
        <Group gap="xs">
          <Button component={Link} to="/agent/customers/new">
            {t('customers.new')}
          </Button>
          <Button component={Link} to="/agent/companies/new" variant="default">
            {t('companies.new')}
          </Button>
        </Group>
      </Group>
      <Tabs value={tab} onChange={(value) => setParams(value === 'companies' ? { tab: value } : {})} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="customers">{t('customers.tab')}</Tabs.Tab>
          <Tabs.Tab value="companies">{t('companies.tab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="customers">
          <CustomerDirectory />
        </Tabs.Panel>
        <Tabs.Panel value="companies">
          <CompanyDirectory />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function CustomerDirectory() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const filter = debounced ? { search: debounced } : {};
  const pager = useCursorPage(customerKeys.list(filter), (cursor, limit) => listCustomers(filter, cursor, limit));
  const columns: Column<Customer>[] = [
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
    { key: 'login', header: t('customers.login'), visibleFrom: 'sm', cell: (customer) => customer.login ?? '' },
    { key: 'status', header: t('agents.status'), cell: (customer) => <ActiveBadge active={customer.active} /> },
  ];
  return (
    <Stack>
      <TextInput
        label={t('agents.search')}
        placeholder={t('agents.search_placeholder')}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={{ base: '100%', sm: 320 }}
      />
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(customer) => customer.id}
        caption={t('customers.tab')}
        empty={debounced ? t('customers.none_match') : t('customers.none')}
        minWidth={0}
      />
    </Stack>
  );
}

function CompanyDirectory() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const pager = useCursorPage(customerKeys.companies(debounced), (cursor, limit) => listCompanies(debounced, cursor, limit));
  const columns: Column<Company>[] = [
    {
      key: 'name',
      header: t('companies.name'),
      cell: (company) => (
        <Anchor component={Link} to={`/agent/companies/${company.id}`}>
          {company.name}
        </Anchor>
      ),
    },
    { key: 'domain', header: t('companies.email_domain'), cell: (company) => company.email_domain ?? '' },
    { key: 'status', header: t('agents.status'), cell: (company) => <ActiveBadge active={company.active} /> },
  ];
  return (
    <Stack>
      <TextInput
        label={t('agents.search')}
        placeholder={t('companies.search_placeholder')}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={{ base: '100%', sm: 320 }}
      />
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(company) => company.id}
        caption={t('companies.tab')}
        empty={debounced ? t('companies.none_match') : t('companies.none')}
        minWidth={0}
      />
    </Stack>
  );
}
