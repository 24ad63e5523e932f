import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { KbArticle } from '../../services/kb';

/** Marks the hits of a snippet. */
function Snippet({ article }: { article: KbArticle }) {
  const snippet = article.search?.snippet;
  if (!snippet) return null;
  const chars = Array.from(snippet.text);
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const { start, length } of snippet.highlights) {
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), hit: false });
    parts.push({ text: chars.slice(start, start + length).join(''), hit: true });
    at = start + length;
  }
  parts.push({ text: chars.slice(at).join(''), hit: false });
  return (
    <Text size="sm" c="dimmed">
      {parts.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </Text>
  );
}

/** A list of articles linking to `linkTo(article)`, with state and visibility for agents. */
export function KbArticleList({
  articles,
  linkTo,
  showStatus,
  empty,
}: {
  articles: KbArticle[];
  linkTo: (article: KbArticle) => string;
  showStatus: boolean;
  empty: string;
}) {
  const { t } = useTranslation();
  if (articles.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {articles.map((article) => (
        <li key={article.id}>
          <Group gap="xs">
            <Anchor component={Link} to={linkTo(article)} fw={600}>
              {article.title}
            </Anchor>
            <Badge variant="light" color="gray" size="sm">
              {article.language}
            </Badge>
            {showStatus && (
              <>
                <Badge variant="light" size="sm" color={article.state === 'published' ? 'teal.9' : 'gray'}>
                  {t(`kb.state.${article.state}`)}
                </Badge>
                <Badge variant="outline" size="sm" color="gray">
                  {t(`kb.visibility.${article.visibility}`)}
                </Badge>
              </>
            )}
          </Group>
          <Snippet article={article} />
        </li>
      ))}
    </Stack>
  );
}
