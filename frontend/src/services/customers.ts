import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** A customer user. */
export type Customer = components['schemas']['CustomerResponse'];
/** Input for a new customer. */
export type NewCustomer = components['schemas']['CreateCustomerRequest'];
/** Changes to a customer (`null` clears). */
export type CustomerChanges = components['schemas']['UpdateCustomerRequest'];
/** A customer company. */
export type Company = components['schemas']['CompanyResponse'];
/** Input for a new company. */
export type NewCompany = components['schemas']['CreateCompanyRequest'];
/** Changes to a company. */
export type CompanyChanges = components['schemas']['UpdateCompanyRequest'];

/** Filters of the customer directory. */
export interface CustomerFilter {
  /** Part of the name or email. */
  search?: string;
  /** Only this company's customers. */
  company_id?: number;
  /** Only active (`true`) or inactive (`false`) customers. */
  active?: boolean;
}

/** One page of customers, by id (`GET /api/v1/customers`). */
export async function listCustomers(
  filter: CustomerFilter,
  cursor: string | null,
  limit: number,
): Promise<Page<Customer>> {
  const query = {
    limit,
    ...(cursor !== null && { cursor }),
    ...(filter.search && { search: filter.search }),
    ...(filter.company_id !== undefined && { company_id: filter.company_id }),
    ...(filter.active !== undefined && { active: filter.active }),
  };
  const page = unwrap(await api.GET('/api/v1/customers', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** One customer (`GET /api/v1/customers/{id}`). */
export async function getCustomer(id: number): Promise<Customer> {
  return unwrap(await api.GET('/api/v1/customers/{id}', { params: { path: { id } } }));
}

/** Creates a customer (`POST /api/v1/customers`; a password only as administrator). */
export async function createCustomer(input: NewCustomer): Promise<Customer> {
  return unwrap(await api.POST('/api/v1/customers', { body: input }));
}

/** Changes a customer (`PATCH /api/v1/customers/{id}`; `password`, `active` administrators only). */
export async function updateCustomer(id: number, changes: CustomerChanges): Promise<Customer> {
  return unwrap(await api.PATCH('/api/v1/customers/{id}', { params: { path: { id } }, body: changes }));
}

/** One page of companies, by id (`GET /api/v1/customer-companies`). */
export async function listCompanies(
  search: string,
  cursor: string | null,
  limit: number,
): Promise<Page<Company>> {
  const query = { limit, ...(cursor !== null && { cursor }), ...(search && { search }) };
  const page = unwrap(await api.GET('/api/v1/customer-companies', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** One company (`GET /api/v1/customer-companies/{id}`). */
export async function getCompany(id: number): Promise<Company> {
  return unwrap(await api.GET('/api/v1/customer-companies/{id}', { params: { path: { id } } }));
}

/** Creates a company (`POST /api/v1/customer-companies`; 409 `name_taken`). */
export async function createCompany(input: NewCompany): Promise<Company> {
  return unwrap(await api.POST('/api/v1/customer-companies', { body: input }));
}

/** Changes a company (`PATCH /api/v1/customer-companies/{id}`). */
export async function updateCompany(id: number, changes: CompanyChanges): Promise<Company> {
  return unwrap(
    await api.PATCH('/api/v1/customer-companies/{id}', { params: { path: { id } }, body: changes }),
  );
}
