import { useEffect, useRef, useState } from 'react';

/** Props of {@link SandboxedFrame}. */
export interface SandboxedFrameProps {
  /** The frame's accessible name. */
  title: string;
  /** The document, prepared by `prepareArticleHtml` (its own Content-Security-Policy inside). */
  srcdoc: string;
  /** Extra `data-*` attributes (tests find frames by them). */
  data?: Record<`data-${string}`, string>;
}

/**
 * Shows untrusted HTML in a sandboxed frame: `srcdoc`, no `allow-scripts` (nothing in it can
 * run). `allow-same-origin` (without scripts it grants the content nothing) lets the page
 * measure the content to size the frame; `allow-popups` lets links open in a new tab.
 */
export function SandboxedFrame({ title, srcdoc, data }: SandboxedFrameProps) {
  const [height, setHeight] = useState(80);
  const frame = useRef<HTMLIFrameElement>(null);

  useEffect(() => {
    const element = frame.current;
    if (!element) return undefined;
    let observer: ResizeObserver | null = null;
    const measure = () => {
      const doc = element.contentDocument;
      if (!doc?.documentElement) return;
      setHeight(Math.min(4000, Math.max(40, doc.documentElement.scrollHeight)));
    };
    const onLoad = () => {
      measure();
      const body = element.contentDocument?.body;
      if (body && typeof ResizeObserver !== 'undefined') {
        observer?.disconnect();
        observer = new ResizeObserver(measure);
        observer.observe(body);
      }
    };
    element.addEventListener('load', onLoad);
    return () => {
      element.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, []);

  return (
    <iframe
      ref={frame}
      title={title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={srcdoc}
      {...data}
      style={{ width: '100%', height, border: 0, display: 'block' }}
    />
  );
}
