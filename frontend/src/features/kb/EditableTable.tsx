import { Button, Group, Table, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A column of an {@link EditableTable}. */
export interface EditableColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  style?: (row: T) => CSSProperties;
}

/** Props of {@link EditableTable}. */
export interface EditableTableProps<T extends { id: number; name: string }> {
  rows: readonly T[];
  columns: readonly EditableColumn<T>[];
  /** Shown instead of the table when there are no rows (the table with no body otherwise). */
  empty?: string;
  onEdit: (row: T) => void;
  onDelete: (row: T) => void;
}

/**
 * The administration lists of the knowledge base and templates: one row per item with its
 * columns and **Edit** / **Delete**, each named after the row for screen readers.
 */
export function EditableTable<T extends { id: number; name: string }>({ rows, columns, empty, onEdit, onDelete }: EditableTableProps<T>) {
  const { t } = useTranslation();
  if (rows.length === 0 && empty) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.header}>{column.header}</Table.Th>
          ))}
          <Table.Th>{t('common.actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.id}>
            {columns.map((column) => (
              <Table.Td key={column.header} style={column.style?.(row)}>
                {column.cell(row)}
              </Table.Td>
            ))}
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="subtle" onClick={() => onEdit(row)} aria-label={t('kb.admin.edit_named', { name: row.name })}>
                  {t('kb.admin.edit')}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => onDelete(row)} aria-label={t('kb.admin.delete_named', { name: row.name })}>
                  {t('kb.admin.delete')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
