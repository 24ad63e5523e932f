import { Button, Center, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../errors/ErrorAlert';
import { DataTable, type Column } from './DataTable';
import type { CursorPage } from './useCursorPage';

export type { Column } from './DataTable';

/** Props of {@link CursorTable}. */
export interface CursorTableProps<T> {
  /** The server-paginated list ({@link useCursorPage}). */
  pager: CursorPage<T>;
  /** The columns. */
  columns: Column<T>[];
  /** Key of a row. */
  rowKey: (row: T) => string | number;
  /** Accessible caption (also names the table). */
  caption: string;
  /** Shown when the first page is empty. */
  empty: string;
  /** Narrowest width before the table scrolls sideways (phones). */
  minWidth?: number;
  /** Whether a row is selected (highlighted; a checkbox in the row says so to screen readers). */
  isSelected?: (row: T) => boolean;
  /** Shown above the table, below errors (e.g. bulk actions). */
  toolbar?: ReactNode;
  /** Shown beside the page number (e.g. the page size). */
  footer?: ReactNode;
}

/**
 * A table over a server-paginated list: one page at a time, "previous"/"next" by cursor,
 * the page shown stays while the next loads. Never loads the whole list.
 */
export function CursorTable<T>({
  pager,
  columns,
  rowKey,
  caption,
  empty,
  minWidth = 600,
  isSelected,
  toolbar,
  footer,
}: CursorTableProps<T>) {
  const { t } = useTranslation();
  const { query } = pager;
  const rows = query.data?.items ?? [];
  return (
    <div aria-busy={query.isFetching}>
      <ErrorAlert error={query.error} />
      {toolbar}
      <DataTable rows={rows} columns={columns} rowKey={rowKey} caption={caption} minWidth={minWidth} {...(isSelected && { isSelected })} />
      {query.isPending && (
        <Center p="md">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {query.isSuccess && rows.length === 0 && (
        <Text p="md" ta="center">
          {empty}
        </Text>
      )}
      <Group justify="space-between" mt="sm">
        <Group gap="md">
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('pager.page', { page: pager.page })}
          </Text>
          {footer}
        </Group>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={pager.previous} disabled={!pager.hasPrevious}>
            {t('pager.previous')}
          </Button>
          <Button variant="default" size="xs" onClick={pager.next} disabled={!pager.hasNext}>
            {t('pager.next')}
          </Button>
        </Group>
      </Group>
    </div>
  );
}
