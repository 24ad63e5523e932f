import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { getKbArticle, listKbArticles, voteKbArticle } from '../../services/kb';
import { KbArticleList } from '../kb/KbArticleList';
import { KbBody } from '../kb/KbBody';
import { kbKeys } from '../kb/keys';

/** The portal's knowledge base: customers search and read the customer and public articles in their language. */
export function PortalKbPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const language = i18n.resolvedLanguage ?? 'en';
  const filter = { ...(q ? { q } : {}), language };
  const articles = useQuery({ queryKey: kbKeys.list(filter), queryFn: () => listKbArticles(filter) });
  return (
    <Stack maw={820}>
      <PageTitle text={t('kb.portal_title')} />
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(draft.trim() ? { q: draft.trim() } : {});
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('kb.search')} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button type="submit" color="teal.9">
            {t('kb.search_submit')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={articles.error} />
      <Paper withBorder p="md">
        <KbArticleList articles={articles.data ?? []} linkTo={(a) => `/portal/kb/${a.id}`} showStatus={false} empty={t('kb.none')} />
      </Paper>
    </Stack>
  );
}

/** One article in the portal, with "was this helpful?". */
export function PortalKbArticlePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const article = useQuery({ queryKey: kbKeys.article(id), queryFn: () => getKbArticle(id) });
  const vote = useMutation({ mutationFn: (helpful: boolean) => voteKbArticle(id, helpful) });
  if (!article.data) return <ErrorAlert error={article.error} />;
  const a = article.data;
  return (
    <Stack maw={820}>
      <PageTitle text={a.title} />
      <Paper withBorder p="md">
        <KbBody title={a.title} html={a.body_html} text={a.body_text} />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="kb-helpful">
        <Title order={2} size="h5" id="kb-helpful" mb="xs">
          {t('kb.helpful_question')}
        </Title>
        <Group>
          <Button variant="light" color="teal.9" onClick={() => vote.mutate(true)} disabled={vote.isSuccess}>
            {t('kb.helpful_yes')}
          </Button>
          <Button variant="light" color="gray" onClick={() => vote.mutate(false)} disabled={vote.isSuccess}>
            {t('kb.helpful_no')}
          </Button>
          <Text size="sm" role="status">
            {vote.isSuccess ? t('kb.thanks') : ''}
          </Text>
        </Group>
        <ErrorAlert error={vote.error} />
      </Paper>
    </Stack>
  );
}
