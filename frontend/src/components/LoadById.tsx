import { useQuery, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { ApiError } from '../api/problem';
import { ErrorAlert } from '../errors/ErrorAlert';
import { NotFound } from '../layout/NotFound';
import { PageLoader } from './PageLoader';

/** Props of {@link LoadById}. */
export interface LoadByIdProps<T> {
  queryKey: (id: number) => QueryKey;
  load: (id: number) => Promise<T>;
  /** Statuses that mean "not for you to see": shown as "Page not found" (default 404). */
  hidden?: readonly number[];
  children: (entity: T) => ReactNode;
}

/**
 * A page of one entity named by the address's `:id`: a malformed id or a 404 is "Page not
 * found", other failures an alert, and the entity is handed to `children` once loaded.
 */
export function LoadById<T>({ queryKey, load, hidden = [404], children }: LoadByIdProps<T>) {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const query = useQuery({ queryKey: queryKey(id), queryFn: () => load(id), enabled: valid });
  if (!valid || (query.error instanceof ApiError && hidden.includes(query.error.status))) return <NotFound />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (query.data === undefined) return <PageLoader label={t('common.loading')} />;
  return <>{children(query.data)}</>;
}
