import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { listCompanies } from '../../services/customers';

/** A company chosen in the picker. */
export interface PickedCompany {
  id: number;
  name: string;
}

/** Props of {@link CompanyPicker}. */
export interface CompanyPickerProps
  extends Omit<SelectProps, 'value' | 'onChange' | 'data' | 'searchable' | 'searchValue' | 'onSearchChange'> {
  value: PickedCompany | null;
  onChange: (company: PickedCompany | null) => void;
}

/** Picks a company by name, searching the server (at most 20 matches per search). */
export function CompanyPicker({ value, onChange, ...props }: CompanyPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value?.name ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const text = value && debounced === value.name ? '' : debounced;
  const found = useQuery({
    queryKey: ['picker', 'companies', text],
    queryFn: async () => (await listCompanies(text, null, 20)).items,
    staleTime: 30_000,
  });
  const companies: PickedCompany[] = (found.data ?? []).map(({ id, name }) => ({ id, name }));
  if (value && !companies.some((company) => company.id === value.id)) companies.unshift(value);
  return (
    <Select
      {...props}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      data={companies.map((company) => ({ value: String(company.id), label: company.name }))}
      value={value ? String(value.id) : null}
      onChange={(id) => onChange(companies.find((company) => String(company.id) === id) ?? null)}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothing_found')}
    />
  );
}
