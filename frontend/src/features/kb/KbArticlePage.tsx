import { Badge, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createKbArticle,
  getKbArticle,
  updateKbArticle,
  type KbArticle,
  type KbState,
  type KbVisibility,
} from '../../services/kb';
import { htmlToText, isRichHtml, KB_LANGUAGES, textToHtml } from './bodyFormat';
import { KbAttachmentsPanel, KbTranslationsPanel, KbVersionsPanel } from './KbArticlePanels';
import { KbBody } from './KbBody';
import { kbKeys } from './keys';
import { useCategoryOptions } from './useCategoryOptions';

const FIELDS = ['title', 'category_id', 'language', 'body_text', 'body_html', 'keywords', 'visibility', 'state', 'translation_of'] as const;
const VISIBILITIES: KbVisibility[] = ['internal', 'customer', 'public'];
const STATES: KbState[] = ['draft', 'published', 'archived'];

/** What "create KB article from this ticket" and "translate" hand over to a new article. */
export interface KbPrefill {
  title?: string;
  body?: string;
  /** The article this one translates (the new one joins its entry). */
  translationOf?: number;
  language?: string;
  categoryId?: number;
}

/** How the body is written: plain text (made into paragraphs) or HTML (sanitised on save). */
type BodyFormat = 'text' | 'html';

/** Writing a new article (`/agent/kb/new`, optionally prefilled from a ticket) or editing one. */
export function KbArticlePage() {
  const { id } = useParams();
  const articleId = id && id !== 'new' ? Number(id) : null;
  const article = useQuery({
    queryKey: kbKeys.article(articleId ?? 0),
    queryFn: () => getKbArticle(articleId ?? 0),
    enabled: articleId !== null,
  });
  if (articleId !== null && !article.data) return <ErrorAlert error={article.error} />;
  return <Editor key={article.data?.id ?? 'new'} article={article.data ?? null} />;
}

function Editor({ article }: { article: KbArticle | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const prefill = (useLocation().state ?? {}) as KbPrefill;
  const { options } = useCategoryOptions();
  const [title, setTitle] = useState(article?.title ?? prefill.title ?? '');
  const [categoryId, setCategoryId] = useState<string | null>(
    article ? String(article.category.id) : prefill.categoryId ? String(prefill.categoryId) : null,
  );
  const [language, setLanguage] = useState<string>(article?.language ?? prefill.language ?? 'en');
  const [format, setFormat] = useState<BodyFormat>(article && isRichHtml(article.body_html) ? 'html' : 'text');
  const [body, setBody] = useState(article?.body_text ?? prefill.body ?? '');
  const [html, setHtml] = useState(article?.body_html ?? '');
  const [keywords, setKeywords] = useState((article?.keywords ?? []).join(', '));
  const [visibility, setVisibility] = useState<KbVisibility>(article?.visibility ?? 'internal');
  const [state, setState] = useState<KbState>(article?.state ?? 'draft');
  const [saved, setSaved] = useState(false);
  const editable = article === null || article.editable;

  const save = useMutation({
    mutationFn: () => {
      const common = {
        title: title.trim(),
        ...(format === 'html' ? { body_html: html } : { body_text: body }),
        keywords: keywords.split(',').map((k) => k.trim()).filter(Boolean),
        visibility,
        state,
      };
      return article
        ? updateKbArticle(article.id, { ...common, ...(categoryId ? { category_id: Number(categoryId) } : {}) })
        : createKbArticle({
            ...common,
            language,
            ...(categoryId ? { category_id: Number(categoryId) } : {}),
            ...(prefill.translationOf ? { translation_of: prefill.translationOf } : {}),
          });
    },
    onSuccess: (result) => {
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: ['kb'] });
      if (!article) void navigate(`/agent/kb/${result.id}`, { replace: true });
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS }) : null;
  const switchFormat = (next: BodyFormat) => {
    if (next === format) return;
    if (next === 'html') setHtml(textToHtml(body));
    else setBody(htmlToText(html));
    setFormat(next);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };

  return (
    <Stack maw={960}>
      <PageTitle text={article ? article.title : t('kb.new')} />
      {article && (
        <Group gap="xs">
          <Badge variant="light">{t(`kb.state.${article.state}`)}</Badge>
          <Badge variant="outline" color="gray">{t(`kb.visibility.${article.visibility}`)}</Badge>
          <Text size="sm" c="dimmed">
            {t('kb.stats', { version: article.version, views: article.view_count, helpful: article.votes.helpful, not_helpful: article.votes.not_helpful })}
          </Text>
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <ErrorAlert message={failure?.message ?? null} />
              <TextInput label={t('kb.field.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={failure?.fields.title} disabled={!editable} />
              <Select label={t('kb.category')} required data={options} value={categoryId} onChange={setCategoryId} error={failure?.fields.category_id} disabled={!editable} />
              <Group grow>
                <Select
                  label={t('kb.field.language')}
                  data={KB_LANGUAGES}
                  value={language}
                  onChange={(value) => setLanguage(value ?? 'en')}
                  disabled={article !== null}
                  error={failure?.fields.language}
                  allowDeselect={false}
                />
                <Select
                  label={t('kb.field.visibility')}
                  data={VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))}
                  value={visibility}
                  onChange={(value) => setVisibility(value ?? 'internal')}
                  disabled={!editable}
                  allowDeselect={false}
                />
                <Select
                  label={t('kb.field.state')}
                  data={STATES.map((s) => ({ value: s, label: t(`kb.state.${s}`) }))}
                  value={state}
                  onChange={(value) => setState(value ?? 'draft')}
                  disabled={!editable}
                  allowDeselect={false}
                />
              </Group>
              <TextInput label={t('kb.field.keywords')} description={t('kb.field.keywords_hint')} value={keywords} onChange={(e) => setKeywords(e.currentTarget.value)} disabled={!editable} />
              <SegmentedControl
                aria-label={t('kb.format')}
                value={format}
                onChange={(value) => switchFormat(value)}
                data={[
                  { value: 'text', label: t('kb.format_text') },
                  { value: 'html', label: t('kb.format_html') },
                ]}
                disabled={!editable}
                w="fit-content"
              />
              {format === 'text' ? (
                <Textarea label={t('kb.field.body')} autosize minRows={8} maxRows={24} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={failure?.fields.body_text} disabled={!editable} />
              ) : (
                <Textarea
                  label={t('kb.field.body_html')}
                  description={t('kb.field.body_html_hint')}
                  autosize
                  minRows={8}
                  maxRows={24}
                  value={html}
                  onChange={(e) => setHtml(e.currentTarget.value)}
                  error={failure?.fields.body_html}
                  disabled={!editable}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                />
              )}
              {editable && (
                <Group>
                  <Button type="submit" loading={save.isPending} disabled={!title.trim()}>
                    {t('common.save')}
                  </Button>
                  <Text size="sm" role="status" c="teal.9">
                    {saved && !save.isPending ? t('common.saved') : ''}
                  </Text>
                </Group>
              )}
            </Stack>
          </form>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="kb-preview">
          <Title order={2} size="h4" id="kb-preview" mb="xs">
            {t('kb.preview')}
          </Title>
          <Title order={3} size="h3">{title}</Title>
          <KbBody title={title} html={format === 'html' ? html : ''} text={format === 'html' ? htmlToText(html) : body} />
          {article?.state === 'published' && article.visibility === 'public' && (
            <Text size="sm" mt="md">
              <a href={article.url}>{t('kb.public_link')}</a>
            </Text>
          )}
        </Paper>
      </SimpleGrid>
      {article && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <KbAttachmentsPanel article={article} />
          <KbTranslationsPanel article={article} />
        </SimpleGrid>
      )}
      {article && <KbVersionsPanel article={article} />}
    </Stack>
  );
}
