import { Text } from '@mantine/core';
import { useMemo } from 'react';

import { cspNonce } from '../../app/cspNonce';
import { prepareArticleHtml } from '../../components/articleHtml';
import { SandboxedFrame } from '../../components/SandboxedFrame';
import { isRichHtml } from './bodyFormat';

/** Props of {@link KbBody}. */
export interface KbBodyProps {
  /** What the frame is called (the article's title). */
  title: string;
  /** Sanitised (or, in a preview, to-be-sanitised) HTML. */
  html: string;
  /** The plain text, shown as paragraphs when the HTML is no richer than it. */
  text: string;
}

/**
 * An article's body: rich HTML in a sandboxed frame (no scripts, remote images blocked, its own
 * policy), plain text as paragraphs.
 */
export function KbBody({ title, html, text }: KbBodyProps) {
  const rich = isRichHtml(html);
  const prepared = useMemo(
    () => (rich ? prepareArticleHtml(html, { showRemoteImages: false, ...(cspNonce && { nonce: cspNonce }) }) : null),
    [html, rich],
  );
  if (prepared) return <SandboxedFrame title={title} srcdoc={prepared.srcdoc} data={{ 'data-testid': 'kb-html' }} />;
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((paragraph, i) => (
          <Text key={i} mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {paragraph}
          </Text>
        ))}
    </>
  );
}
