import { Anchor, Badge, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listArticles, type Article, type Ticket } from '../../services/tickets';
import { AttachmentList } from './AttachmentList';
import { HtmlFrame } from './HtmlFrame';
import { ticketKeys } from './keys';
import { channelLabel, formatMinutes } from './labels';

/** A person on a ticket. */
type Person = NonNullable<Ticket['customer']>;

/** Whether an emailed article went out: sent, still queued (retrying), or failed for good. */
function DeliveryBadge({ delivery }: { delivery: NonNullable<Article['delivery']> }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (delivery.status === 'sent') {
    return (
      <Badge variant="light" color="teal" radius="sm" tt="none" title={delivery.sent_at ? format.dateTime(delivery.sent_at) : undefined}>
        {t('delivery.sent')}
      </Badge>
    );
  }
  if (delivery.status === 'failed') {
    return (
      <Badge variant="light" color="red" radius="sm" tt="none" title={delivery.last_error ?? undefined}>
        {t('delivery.failed')}
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="gray" radius="sm" tt="none" title={delivery.last_error ?? undefined}>
      {t('delivery.queued', { count: delivery.attempts })}
    </Badge>
  );
}

/** Articles per request: most tickets fit in one page. */
const ARTICLE_PAGE = 100;

/** A ticket's articles, oldest first, a page of 100 at a time ("Show more" for longer threads). */
function useArticles(ticketKey: string) {
  return useInfiniteQuery({
    queryKey: ticketKeys.articles(ticketKey),
    queryFn: ({ pageParam }) => listArticles(ticketKey, pageParam, ARTICLE_PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/**
 * The conversation: every article the caller may see, oldest first. Customer-visible articles
 * and internal notes look different (notes tinted, with an "Internal note" badge) and say so in
 * their headings, so screen readers hear the difference too.
 */
export function ArticleThread({
  ticketKey,
  audience,
  customer,
  onSplit,
}: {
  ticketKey: string;
  audience: 'agent' | 'customer';
  /** The ticket's customer, to name them on articles an agent recorded for them (phone). */
  customer?: Person | null;
  /** Offers "split off" on each article (agents with the right). */
  onSplit?: (article: Article) => void;
}) {
  const { t } = useTranslation();
  const articles = useArticles(ticketKey);
  const items = articles.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm" aria-busy={articles.isFetching}>
      <ErrorAlert error={articles.error} />
      {articles.isPending && (
        <Center p="md">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {items.map((article) => (
        <ArticleCard
          key={article.id}
          ticketKey={ticketKey}
          article={article}
          audience={audience}
          customer={customer ?? null}
          onSplit={onSplit}
        />
      ))}
      {articles.hasNextPage && (
        <Button variant="default" onClick={() => void articles.fetchNextPage()} loading={articles.isFetchingNextPage}>
          {t('article.show_more')}
        </Button>
      )}
    </Stack>
  );
}

/** One article: who, when, how, to whom; the body (HTML in a sandboxed frame, else text); attachments. */
export function ArticleCard({
  ticketKey,
  article,
  audience,
  customer,
  onSplit,
}: {
  ticketKey: string;
  article: Article;
  audience: 'agent' | 'customer';
  customer: Person | null;
  onSplit?: (article: Article) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const internal = !article.customer_visible;
  const from = article.from?.toLowerCase() ?? null;
  // A customer's words recorded by an agent (phone) carry the agent as author: name the customer.
  const recordedBy =
    article.sender_type === 'customer' && article.author && article.author.id !== customer?.id && article.author.email !== from
      ? article.author.name
      : null;
  let author = article.author?.name ?? article.from ?? t('article.system');
  if (recordedBy !== null) author = from !== null && customer?.email === from ? customer.name : (article.from ?? author);
  const headingId = `article-${article.id}-heading`;
  let heading: string;
  if (internal) heading = t('article.heading_note', { author });
  else if (article.sender_type === 'customer') heading = t('article.heading_customer', { author });
  else if (article.sender_type === 'system') heading = t('article.heading_system', { author });
  else heading = t('article.heading_reply', { author });

  return (
    <Paper
      component="article"
      aria-labelledby={headingId}
      withBorder
      p="sm"
      data-visibility={internal ? 'internal' : 'customer'}
      style={{
        borderLeft: `4px solid var(--mantine-color-${internal ? 'yellow-6' : article.sender_type === 'customer' ? 'teal-6' : 'blue-6'})`,
        background: internal ? 'var(--mantine-color-yellow-0)' : undefined,
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs" wrap="wrap">
            {audience === 'agent' && (
              <Badge variant={internal ? 'outline' : 'light'} color={internal ? 'dark' : 'blue'} radius="sm" tt="none">
                {internal ? t('article.internal') : t('article.customer_visible')}
              </Badge>
            )}
            <Title order={3} size="h6" id={headingId}>
              {heading}
            </Title>
            {audience === 'agent' && article.delivery && <DeliveryBadge delivery={article.delivery} />}
          </Group>
          <Text size="xs" c="dimmed">
            {onSplit && (
              <>
                <Anchor component="button" type="button" size="xs" onClick={() => onSplit(article)} aria-label={t('relations.split_named')}>
                  {t('relations.split')}
                </Anchor>
                {' · '}
              </>
            )}
            <time dateTime={article.created_at}>{format.dateTime(article.created_at)}</time>
            {' · '}
            {channelLabel(t, article.channel)}
            {recordedBy !== null && audience === 'agent' ? ` · ${t('article.recorded_by', { name: recordedBy })}` : ''}
            {article.time_accounted_minutes ? ` · ${formatMinutes(t, article.time_accounted_minutes)}` : ''}
          </Text>
        </Group>
        {(article.to || article.cc || article.subject) && (
          <Text size="xs" c="dimmed">
            {article.from && `${t('article.from')}: ${article.from} `}
            {article.to && `${t('article.to')}: ${article.to} `}
            {article.cc && `${t('article.cc')}: ${article.cc} `}
            {article.subject && (
              <>
                <br />
                {t('article.subject')}: {article.subject}
              </>
            )}
          </Text>
        )}
        {article.body_html ? (
          <HtmlFrame ticketKey={ticketKey} article={article} html={article.body_html} />
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {article.body}
          </Text>
        )}
        <AttachmentList ticketKey={ticketKey} article={article} />
        {audience === 'agent' && (
          // "Create KB article from this ticket": a draft prefilled with this article's words.
          <Button
            component={Link}
            to="/agent/kb/new"
            state={{ title: article.subject, body: article.body }}
            variant="subtle"
            size="compact-xs"
            w="fit-content"
          >
            {t('kb.from_ticket')}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
