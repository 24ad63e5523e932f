import { Button, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { cspNonce } from '../../app/cspNonce';
import { SandboxedFrame } from '../../components/SandboxedFrame';
import { downloadAttachment, type Article } from '../../services/tickets';
import { prepareArticleHtml } from '../../components/articleHtml';

/** Reads a blob as a `data:` URL (the frame's policy allows `data:` images, nothing else by default). */
function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** The inline images (`cid:`) of an article as `data:` URLs, fetched only when the HTML uses them. */
function useInlineImages(ticketKey: string, article: Article, html: string) {
  const parts = article.attachments.filter(
    (attachment) => attachment.content_id && attachment.content_type.startsWith('image/'),
  );
  const wanted = parts.length > 0 && html.toLowerCase().includes('cid:');
  return useQuery({
    queryKey: ['inline-images', ticketKey, article.id],
    enabled: wanted,
    staleTime: Infinity,
    queryFn: async () => {
      const map = new Map<string, string>();
      for (const part of parts) {
        const blob = await downloadAttachment(ticketKey, article.id, part.id);
        map.set((part.content_id ?? '').replace(/^<|>$/g, ''), await dataUrl(blob));
      }
      return map;
    },
  });
}

/** Props of {@link HtmlFrame}. */
export interface HtmlFrameProps {
  /** The ticket (id or number) the article belongs to. */
  ticketKey: string;
  article: Article;
  /** The article's sanitised HTML. */
  html: string;
}

/**
 * Shows an article's HTML in a {@link SandboxedFrame} with its own restrictive
 * Content-Security-Policy. Remote images stay blocked until "Show images".
 */
export function HtmlFrame({ ticketKey, article, html }: HtmlFrameProps) {
  const { t } = useTranslation();
  const [showRemote, setShowRemote] = useState(false);
  const inline = useInlineImages(ticketKey, article, html);
  const prepared = useMemo(
    () =>
      prepareArticleHtml(html, {
        showRemoteImages: showRemote,
        ...(inline.data && { inlineImages: inline.data }),
        ...(cspNonce && { nonce: cspNonce }),
      }),
    [html, showRemote, inline.data],
  );

  return (
    <div>
      {prepared.remoteImages > 0 && !showRemote && (
        <Group gap="xs" mb="xs" p="xs" bg="var(--mantine-color-gray-0)" style={{ borderRadius: 4 }}>
          <Text size="sm">{t('article.remote_blocked', { count: prepared.remoteImages })}</Text>
          <Button size="compact-sm" variant="default" onClick={() => setShowRemote(true)}>
            {t('article.show_images')}
          </Button>
        </Group>
      )}
      <SandboxedFrame
        title={t('article.html_frame', { subject: article.subject })}
        srcdoc={prepared.srcdoc}
        data={{ 'data-testid': 'article-html', 'data-remote-images': showRemote ? 'shown' : 'blocked' }}
      />
    </div>
  );
}
