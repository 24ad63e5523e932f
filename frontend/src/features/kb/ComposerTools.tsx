import { Anchor, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import {
  downloadKbAttachment,
  getKbArticle,
  listKbArticles,
  listTextModules,
  renderTextModule,
  suggestKbArticles,
  type KbArticle,
} from '../../services/kb';
import { kbKeys } from './keys';

/** Props of {@link ComposerTools}. */
export interface ComposerToolsProps {
  /** The ticket key (id or number). */
  ticketKey: string;
  /** The ticket's queue (modules offered there). */
  queueId: number;
  /** The ticket's title (for suggested articles). */
  title: string;
  /** The picker is open (the composer opens it when `::` is typed). */
  open: boolean;
  /** Opens or closes the picker. */
  onOpenChange: (open: boolean) => void;
  /** Inserts text at the end of the draft. */
  onInsert: (text: string) => void;
  /** Adds files to the draft's attachments (an article's files, when chosen). */
  onAttach: (files: File[]) => void;
}

/** An article's files as `File`s for the composer (the list omits them: read the article). */
async function articleFiles(article: KbArticle): Promise<File[]> {
  const full = await getKbArticle(article.id);
  return Promise.all(
    full.attachments.map(
      async (attachment) =>
        new File([await downloadKbAttachment(article.id, attachment.id)], attachment.filename, { type: attachment.content_type }),
    ),
  );
}

/** How a KB article goes into a reply. */
type Mode = 'link' | 'text';

function articleText(article: KbArticle, mode: Mode): string {
  const link = `${globalThis.location.origin}${article.url}`;
  return mode === 'link' ? `${article.title}: ${link}` : `${article.title}\n\n${article.body_text}`;
}

/**
 * The composer's helpers: insert a text module (filled in for this ticket) or a KB article
 * (as a link or as text), found by keyword with the keyboard — `::` in the message or the
 * button opens the search, Enter takes the first hit — with the article's files when chosen,
 * and the KB articles suggested by the ticket's words.
 */
export function ComposerTools({ ticketKey, queueId, title, open, onOpenChange, onInsert, onAttach }: ComposerToolsProps) {
  const { t } = useTranslation();
  const [source, setSource] = useState<'modules' | 'kb'>('modules');
  const [q, setQ] = useState('');
  const [mode, setMode] = useState<Mode>('link');
  const [withFiles, setWithFiles] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const modules = useQuery({
    queryKey: kbKeys.modules(q, queueId),
    queryFn: () => listTextModules(q, queueId),
    enabled: open && source === 'modules',
  });
  const articles = useQuery({
    queryKey: kbKeys.list({ q, language: undefined }),
    queryFn: () => listKbArticles({ ...(q.trim() ? { q } : {}) }, 10),
    enabled: open && source === 'kb',
  });
  const suggested = useQuery({
    queryKey: kbKeys.suggestions(title),
    queryFn: () => suggestKbArticles(title, 3),
    staleTime: 60_000,
  });

  const pickModule = async (id: number) => {
    try {
      const filled = await renderTextModule(id, ticketKey);
      onInsert(filled.body);
      onOpenChange(false);
      setQ('');
    } catch (error) {
      setFailure(error);
    }
  };
  const pickArticle = async (article: KbArticle, attach: boolean) => {
    try {
      if (attach) onAttach(await articleFiles(article));
      onInsert(articleText(article, mode));
      onOpenChange(false);
      setQ('');
    } catch (error) {
      setFailure(error);
    }
  };
  const onEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (source === 'modules' && modules.data?.[0]) void pickModule(modules.data[0].id);
    if (source === 'kb' && articles.data?.[0]) void pickArticle(articles.data[0], withFiles);
  };

  return (
    <>
      <Group gap="xs">
        <Button variant="light" size="xs" onClick={() => onOpenChange(true)}>
          {t('kb.insert')}
        </Button>
        {(suggested.data ?? []).length > 0 && (
          <Text size="sm" c="dimmed" component="div">
            {t('kb.suggested')}{' '}
            {(suggested.data ?? []).map((article, i) => (
              <span key={article.id}>
                {i > 0 && ', '}
                <Anchor component={Link} to={`/agent/kb/${article.id}`} size="sm">
                  {article.title}
                </Anchor>{' '}
                <Anchor component="button" type="button" size="sm" onClick={() => void pickArticle(article, false)}>
                  ({t('kb.insert_link')})
                </Anchor>
              </span>
            ))}
          </Text>
        )}
      </Group>
      <Modal opened={open} onClose={() => onOpenChange(false)} title={t('kb.insert')} size="lg" closeButtonProps={{ 'aria-label': t('common.cancel') }}>
        <Stack>
          <SegmentedControl
            aria-label={t('kb.insert_what')}
            value={source}
            onChange={(value) => setSource(value === 'kb' ? 'kb' : 'modules')}
            data={[
              { value: 'modules', label: t('kb.text_modules') },
              { value: 'kb', label: t('kb.title') },
            ]}
          />
          <TextInput label={t('kb.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} onKeyDown={onEnter} data-autofocus />
          {source === 'kb' && (
            <SegmentedControl
              aria-label={t('kb.insert_as')}
              value={mode}
              onChange={(value) => setMode(value === 'text' ? 'text' : 'link')}
              data={[
                { value: 'link', label: t('kb.as_link') },
                { value: 'text', label: t('kb.as_text') },
              ]}
            />
          )}
          {source === 'kb' && <Checkbox label={t('kb.with_files')} checked={withFiles} onChange={(e) => setWithFiles(e.currentTarget.checked)} />}
          <ErrorAlert error={failure ?? modules.error ?? articles.error} />
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {source === 'modules' &&
              (modules.data ?? []).map((m) => (
                <li key={m.id}>
                  <UnstyledButton onClick={() => void pickModule(m.id)} p={4}>
                    <Text fw={600}>{m.name}</Text>
                    <Text size="sm" c="dimmed" lineClamp={1}>
                      {m.body}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            {source === 'kb' &&
              (articles.data ?? []).map((a) => (
                <li key={a.id}>
                  <UnstyledButton onClick={() => void pickArticle(a, withFiles)} p={4}>
                    <Text fw={600}>{a.title}</Text>
                    <Text size="sm" c="dimmed">
                      {t(`kb.visibility.${a.visibility}`)}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
          </Stack>
        </Stack>
      </Modal>
    </>
  );
}
