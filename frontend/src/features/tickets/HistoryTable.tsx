import { Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { CursorTable, type Column } from '../../components/CursorTable';
import { useCursorPage } from '../../components/useCursorPage';
import { useFormat } from '../../i18n/useFormat';
import { listHistory, type HistoryEntry } from '../../services/tickets';
import { ticketKeys } from './keys';
import { historyKindLabel } from './labels';

/** The ticket's history (append-only audit trail), oldest first, 50 entries a page. */
export function HistoryTable({ ticketKey }: { ticketKey: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const pager = useCursorPage(ticketKeys.history(ticketKey), (cursor, limit) => listHistory(ticketKey, cursor, limit), 50);
  const columns: Column<HistoryEntry>[] = [
    {
      key: 'when',
      header: t('history.when'),
      cell: (entry) => <time dateTime={entry.created_at}>{format.dateTime(entry.created_at)}</time>,
    },
    { key: 'who', header: t('history.who'), cell: (entry) => entry.actor?.name ?? t('history.system') },
    { key: 'what', header: t('history.what'), cell: (entry) => historyKindLabel(t, entry.kind) },
    {
      key: 'change',
      header: t('history.change'),
      cell: (entry) =>
        entry.old_value || entry.new_value ? (
          <Text size="sm">
            {entry.old_value ?? '—'}
            <span aria-hidden="true"> → </span>
            <VisuallyHidden>{` ${t('history.to')} `}</VisuallyHidden>
            {entry.new_value ?? '—'}
          </Text>
        ) : (
          ''
        ),
    },
  ];
  return (
    <CursorTable
      pager={pager}
      columns={columns}
      rowKey={(entry) => entry.id}
      caption={t('history.title')}
      empty={t('history.empty')}
      minWidth={520}
    />
  );
}
