import { Alert, Anchor, Grid, Stack, Tabs } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { useUser } from '../../auth/context';
import { PageLoader } from '../../components/PageLoader';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { RelationsPanel } from '../relations/RelationsPanel';
import { SplitDialog } from '../relations/SplitDialog';
import type { Article } from '../../services/tickets';
import { NotFound } from '../../layout/NotFound';
import { ArticleThread } from './ArticleThread';
import { Composer } from './Composer';
import { ConflictAlert } from './ConflictAlert';
import { HistoryTable } from './HistoryTable';
import { ticketKeys } from './keys';
import { OwnershipPanel, WatchersPanel } from './PeoplePanels';
import { PresenceBanner } from './PresenceBanner';
import { RemindersPanel } from './RemindersPanel';
import { ticketActions, ticketScope, type QueueRights } from './rights';
import { TicketHeader } from './TicketHeader';
import { useTicketPage, type TicketPageModel } from './ticketPageModel';
import { TicketProperties } from './TicketProperties';
import { usePresence } from './usePresence';
import { useRights } from './useRights';

/** The agent's ticket page (`/agent/tickets/{id or number}`). */
export function TicketPage() {
  const { t } = useTranslation();
  const { key = '' } = useParams();
  const { query, model } = useTicketPage(key);
  // The page waits for the agent's rights, so actions never show and then vanish.
  const { rights, loading } = useRights();
  if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400)) return <NotFound />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!model || loading) return <PageLoader label={t('common.loading')} />;
  // A merged ticket's page is the page of the ticket it went into.
  const merged = model.loaded.ticket.merged_into;
  if (merged) return <Navigate to={`/agent/tickets/${merged.number}`} replace state={{ mergedFrom: model.loaded.ticket.number }} />;
  return <TicketView key={model.key} model={model} rights={rights} />;
}

/**
 * Header, conversation (or history) and composer on the left; properties, ownership,
 * watchers and reminders on the right (below on phones). Only the actions the agent's rights
 * allow are offered (the API's 403 stays the authority). Every change carries the ETag shown;
 * a 412 or a newer version (reported by the event stream) shows "someone else changed this
 * ticket". Other agents on the ticket, and whether they are writing, are shown above.
 */
function TicketView({ model, rights }: { model: TicketPageModel; rights: QueueRights }) {
  const { t } = useTranslation();
  const me = useUser();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<string | null>('conversation');
  const [composing, setComposing] = useState(false);
  const { ticket, etag } = model.loaded;
  const others = usePresence(model.key, ticket.id, composing);
  const reload = () => void model.reload();
  const actions = ticketActions(rights, ticketScope(ticket), me.id);
  const location = useLocation();
  const mergedFrom = (location.state as { mergedFrom?: string } | null)?.mergedFrom;
  const [splitting, setSplitting] = useState<Article | null>(null);

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/agent/tickets?queue_id=${ticket.queue.id}`} size="sm">
        {t('ticket.back_to_queue', { queue: ticket.queue.name })}
      </Anchor>
      <TicketHeader ticket={ticket} audience="agent" />
      {mergedFrom && (
        <Alert color="blue" variant="light" role="status">
          {t('relations.merged_into', { number: mergedFrom })}
        </Alert>
      )}
      <PresenceBanner others={others} />
      {model.conflict && <ConflictAlert onReload={reload} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="sm">
              <Tabs.Tab value="conversation">{t('ticket.conversation', { count: ticket.article_count })}</Tabs.Tab>
              <Tabs.Tab value="history">{t('history.title')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="conversation">
              <Stack gap="md">
                <ArticleThread
                  ticketKey={model.key}
                  audience="agent"
                  customer={ticket.customer ?? null}
                  onSplit={actions.edit && ticket.article_count > 1 ? setSplitting : undefined}
                />
                <Composer
                  ticketKey={model.key}
                  ticket={ticket}
                  etag={etag}
                  audience="agent"
                  allowed={{ reply: actions.reply, note: actions.note }}
                  conflict={model.conflict}
                  onDraftChange={setComposing}
                  onConflict={() => model.report(new ApiError(412, null))}
                  onReload={reload}
                  onSent={(created) => {
                    model.apply(created);
                    void queryClient.invalidateQueries({ queryKey: ticketKeys.articles(model.key) });
                  }}
                />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <HistoryTable ticketKey={model.key} />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <TicketProperties model={model} actions={actions} />
            <OwnershipPanel model={model} actions={actions} />
            <WatchersPanel model={model} actions={actions} />
            <RelationsPanel ticketKey={model.key} ticket={ticket} canChange={actions.edit} />
            <RemindersPanel ticketKey={model.key} />
          </Stack>
        </Grid.Col>
      </Grid>
      {splitting && <SplitDialog ticketKey={model.key} ticket={ticket} article={splitting} onClose={() => setSplitting(null)} />}
    </Stack>
  );
}
