import { Anchor, Button, FileInput, Group, List, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import {
  addKbAttachments,
  deleteKbAttachment,
  downloadKbAttachment,
  listKbVersions,
  restoreKbVersion,
  type KbArticle,
} from '../../services/kb';
import { saveBlob } from '../../components/download';
import { formatBytes } from '../../i18n/format';
import { KB_LANGUAGES } from './bodyFormat';
import type { KbPrefill } from './KbArticlePage';
import { kbKeys } from './keys';

/** An article's files: download, and for editors add and remove. */
export function KbAttachmentsPanel({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: kbKeys.article(article.id) });
  const add = useMutation({
    mutationFn: () => addKbAttachments(article.id, files),
    onSuccess: () => {
      setFiles([]);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (attachmentId: number) => deleteKbAttachment(article.id, attachmentId), onSuccess: refresh });
  const download = useMutation({
    mutationFn: async (attachment: KbArticle['attachments'][number]) =>
      saveBlob(await downloadKbAttachment(article.id, attachment.id), attachment.filename),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="kb-attachments">
      <Title order={2} size="h4" id="kb-attachments" mb="xs">
        {t('kb.attachments')}
      </Title>
      <ErrorAlert error={add.error ?? remove.error ?? download.error} />
      {article.attachments.length === 0 ? (
        <Text c="dimmed">{t('kb.no_attachments')}</Text>
      ) : (
        <List listStyleType="none" spacing={4} mb="sm">
          {article.attachments.map((attachment) => (
            <List.Item key={attachment.id}>
              <Group gap="xs">
                <Anchor component="button" type="button" onClick={() => download.mutate(attachment)}>
                  {attachment.filename}
                </Anchor>
                <Text span size="sm" c="dimmed">
                  {formatBytes(attachment.size, format.number)}
                </Text>
                {article.editable && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(attachment.id)}
                    aria-label={t('kb.admin.delete_named', { name: attachment.filename })}
                  >
                    {t('kb.admin.delete')}
                  </Button>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {article.editable && (
        <Group align="flex-end">
          <FileInput
            label={t('kb.add_files')}
            placeholder={t('composer.attachments_placeholder')}
            multiple
            clearable
            value={files}
            onChange={setFiles}
            styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
            miw={260}
          />
          <Button onClick={() => add.mutate()} loading={add.isPending} disabled={files.length === 0}>
            {t('kb.upload')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

/** The entry's other languages, and for editors a new translation in a language it lacks. */
export function KbTranslationsPanel({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const have = new Set([article.language, ...article.translations.map((tr) => tr.language)]);
  const missing = KB_LANGUAGES.filter((language) => !have.has(language));
  const [language, setLanguage] = useState<string | null>(null);
  const translate = () => {
    const prefill: KbPrefill = {
      title: article.title,
      body: article.body_text,
      translationOf: article.id,
      ...(language && { language }),
      categoryId: article.category.id,
    };
    void navigate('/agent/kb/new', { state: prefill });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="kb-translations">
      <Title order={2} size="h4" id="kb-translations" mb="xs">
        {t('kb.translations')}
      </Title>
      {article.translations.length === 0 ? (
        <Text c="dimmed">{t('kb.no_translations')}</Text>
      ) : (
        <List spacing={4} mb="sm">
          {article.translations.map((tr) => (
            <List.Item key={tr.id}>
              <Anchor component={Link} to={`/agent/kb/${tr.id}`} lang={tr.language}>
                {tr.title}
              </Anchor>{' '}
              <Text span size="sm" c="dimmed">
                ({tr.language})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {article.editable && missing.length > 0 && (
        <Group align="flex-end">
          <Select label={t('kb.translation_language')} data={missing} value={language} onChange={setLanguage} w={160} />
          <Button variant="light" onClick={translate} disabled={!language}>
            {t('kb.translate')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

/** An article's published versions, each restorable by editors. */
export function KbVersionsPanel({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const versions = useQuery({ queryKey: kbKeys.versions(article.id), queryFn: () => listKbVersions(article.id) });
  const restore = useMutation({
    mutationFn: (version: number) => restoreKbVersion(article.id, version),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['kb'] }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="kb-versions">
      <Title order={2} size="h4" id="kb-versions" mb="xs">
        {t('kb.versions')}
      </Title>
      <ErrorAlert error={versions.error ?? restore.error} />
      {(versions.data ?? []).length === 0 ? (
        <Text c="dimmed">{t('kb.no_versions')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('kb.version')}</Table.Th>
              <Table.Th>{t('kb.field.title')}</Table.Th>
              <Table.Th>{t('kb.published_by')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(versions.data ?? []).map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>{v.title}</Table.Td>
                <Table.Td>
                  {v.created_by?.name ?? ''} · {format.dateTime(v.created_at)}
                </Table.Td>
                <Table.Td>
                  {article.editable && v.version !== article.version && (
                    <Button size="xs" variant="light" onClick={() => restore.mutate(v.version)} loading={restore.isPending}>
                      {t('kb.restore', { version: v.version })}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
