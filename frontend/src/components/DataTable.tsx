import { Table, Text, VisuallyHidden, type MantineBreakpoint } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { ErrorAlert } from '../errors/ErrorAlert';

/** A column of a {@link DataTable} (and of a {@link CursorTable}). */
export interface Column<T> {
  /** Stable key. */
  key: string;
  /** Header text. */
  header: string;
  /** The cell of one row. */
  cell: (row: T) => ReactNode;
  /** Header text only for screen readers (action columns). */
  hiddenHeader?: boolean;
  /** Replaces the header text (a sort button, a "select all" box); `header` still names the column. */
  headerContent?: ReactNode;
  /** How the rows are sorted by this column, for `aria-sort`. */
  sort?: 'ascending' | 'descending' | 'none';
  /** Shown only from this breakpoint up (less important columns on phones). */
  visibleFrom?: MantineBreakpoint;
}

/** Props of {@link DataTable}. */
export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  /** Accessible caption (also names the table). */
  caption: string;
  /** Narrowest width before the table scrolls sideways (phones). */
  minWidth?: number;
  /** Whether a row is selected (highlighted; a checkbox in the row says so to screen readers). */
  isSelected?: (row: T) => boolean;
}

/**
 * A table with a caption for screen readers, column headers (`scope="col"`, `aria-sort`) and rows.
 * Where it is wider than the screen (phones) it scrolls sideways in a region that takes keyboard
 * focus, so a table of plain text can be scrolled without a mouse too. The region is positioned so
 * that the visually hidden caption and headers stay inside it instead of widening the page.
 */
export function DataTable<T>({ rows, columns, rowKey, caption, minWidth = 600, isSelected }: DataTableProps<T>) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" pos="relative" tabIndex={0} role="region" aria-label={caption}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.key} scope="col" aria-sort={column.sort} {...(column.visibleFrom && { visibleFrom: column.visibleFrom })}>
                {column.headerContent ?? (column.hiddenHeader ? <VisuallyHidden>{column.header}</VisuallyHidden> : column.header)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} bg={isSelected?.(row) ? 'var(--mantine-primary-color-light)' : undefined}>
              {columns.map((column) => (
                <Table.Td key={column.key} {...(column.visibleFrom && { visibleFrom: column.visibleFrom })}>
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Props of {@link QueryTable}. */
export interface QueryTableProps<T> extends Omit<DataTableProps<T>, 'rows'> {
  /** A whole (not paged) list. */
  query: Pick<UseQueryResult<readonly T[]>, 'data' | 'error' | 'isSuccess'>;
  /** Shown when the list is empty. */
  empty: string;
}

/** A whole list from the API as a table: its error, "none yet" when empty, else the table. */
export function QueryTable<T>({ query, empty, ...table }: QueryTableProps<T>) {
  const rows = query.data ?? [];
  return (
    <>
      <ErrorAlert error={query.error} />
      {query.isSuccess && rows.length === 0 && <Text>{empty}</Text>}
      {rows.length > 0 && <DataTable rows={rows} {...table} />}
    </>
  );
}
