import type { CustomerFilter } from '../../services/customers';

/** Query keys of customers and companies; invalidating `CUSTOMERS_KEY` refreshes all of them. */
export const CUSTOMERS_KEY = ['customers'] as const;

/** Query keys by use. */
export const customerKeys = {
  list: (filter: CustomerFilter) => [...CUSTOMERS_KEY, 'list', filter] as const,
  one: (id: number) => [...CUSTOMERS_KEY, 'one', id] as const,
  companies: (search: string) => [...CUSTOMERS_KEY, 'companies', search] as const,
  company: (id: number) => [...CUSTOMERS_KEY, 'company', id] as const,
};
