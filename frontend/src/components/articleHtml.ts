/** An article's HTML ready for a sandboxed frame's `srcdoc`. */
export interface PreparedHtml {
  /** The document for `srcdoc`. */
  srcdoc: string;
  /** How many remote images it has (blocked unless shown). */
  remoteImages: number;
}

/** Options of {@link prepareArticleHtml}. */
export interface PrepareOptions {
  /** Load remote images (`data-vakt-remote-src`): only after the reader asked. */
  showRemoteImages: boolean;
  /** Inline images by Content-ID (without `<>`), as `data:` URLs. */
  inlineImages?: ReadonlyMap<string, string>;
  /**
   * The page's style nonce (see `app/cspNonce.ts`). A `srcdoc` frame inherits the page's
   * Content-Security-Policy, which allows no inline styles: the frame's styles carry the nonce.
   */
  nonce?: string;
}

const REMOTE_ATTRIBUTE = 'data-vakt-remote-src';

/** Elements that never belong in a displayed mail, even though the server already sanitised it. */
const FORBIDDEN = 'script, iframe, frame, object, embed, base, meta, link, form';

const BASE_STYLE =
  'body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:14px;' +
  'line-height:1.5;color:#212529;overflow-wrap:anywhere}img{max-width:100%;height:auto}' +
  'img[data-vakt-blocked]{outline:1px dashed #868e96;min-width:16px;min-height:16px}' +
  'table{max-width:100%}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid #ced4da}';

/**
 * The declarations of a `style` attribute as `[property, value]` pairs. Read from the attribute's
 * text, not through `element.style`: under the page's policy the browser does not apply (so
 * does not parse) inline styles, not even in a parsed document. Values that could leave their
 * rule (`{`, `}`, `<`, backslash) are dropped; the server already kept only safe properties.
 */
export function styleDeclarations(text: string): [string, string][] {
  const declarations: [string, string][] = [];
  let depth = 0;
  let start = 0;
  const take = (end: number) => {
    const part = text.slice(start, end);
    const colon = part.indexOf(':');
    const property = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim();
    if (colon > 0 && /^-?[a-z][a-z-]*$/.test(property) && value && !/[{}<\\]/.test(value)) {
      declarations.push([property, value.replace(/\s*!important$/i, '')]);
    }
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(text.length);
  return declarations;
}

const STYLE_MARK = 'data-vakt-style';

/**
 * Moves the mail's `style` attributes into one style sheet, so they work under a policy without
 * `'unsafe-inline'`: each styled element gets a mark, and its declarations become `!important`
 * rules for that mark (an attribute's declarations outrank style-sheet rules; `!important`
 * keeps that order).
 */
function styleAttributesToSheet(doc: Document): string {
  const rules: string[] = [];
  doc.querySelectorAll('[style]').forEach((element, index) => {
    const declarations = styleDeclarations(element.getAttribute('style') ?? '');
    element.removeAttribute('style');
    if (declarations.length === 0) return;
    element.setAttribute(STYLE_MARK, String(index));
    const body = declarations.map(([property, value]) => `${property}:${value} !important`).join(';');
    rules.push(`[${STYLE_MARK}="${index}"]{${body}}`);
  });
  return rules.join('');
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Prepares sanitised article HTML for a sandboxed `<iframe srcdoc>` (no scripts run there).
 * The document gets its own Content-Security-Policy: nothing may load except its one style
 * sheet (the mail's `style` attributes, moved there; with the page's nonce), `data:` images (inline parts) and — only with `showRemoteImages` — web images; links open in
 * a new tab; the referrer is never sent. Remote images arrive from the server as
 * `data-vakt-remote-src` and get a `src` only when shown, so a sender learns nothing (tracking
 * pixels) until the reader asks. `cid:` references become the inline parts' `data:` URLs.
 */
export function prepareArticleHtml(html: string, options: PrepareOptions): PreparedHtml {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const element of doc.querySelectorAll(FORBIDDEN)) element.remove();

  let remoteImages = 0;
  for (const element of doc.querySelectorAll(`[${REMOTE_ATTRIBUTE}]`)) {
    remoteImages += 1;
    const remote = element.getAttribute(REMOTE_ATTRIBUTE) ?? '';
    element.removeAttribute('srcset');
    if (options.showRemoteImages && isWebUrl(remote)) {
      element.setAttribute('src', remote);
      element.removeAttribute('data-vakt-blocked');
    } else {
      element.removeAttribute('src');
      element.setAttribute('data-vakt-blocked', '');
    }
  }

  for (const image of doc.querySelectorAll('img[src]')) {
    const src = image.getAttribute('src') ?? '';
    if (src.toLowerCase().startsWith('cid:')) {
      const inline = options.inlineImages?.get(src.slice(4).replace(/^<|>$/g, ''));
      if (inline) image.setAttribute('src', inline);
      else image.removeAttribute('src');
    } else if (!src.startsWith('data:') && !image.hasAttribute(REMOTE_ATTRIBUTE)) {
      // A remote `src` the sanitiser let through would load without asking: never.
      image.removeAttribute('src');
    }
  }

  const imageSources = options.showRemoteImages ? 'data: https: http:' : 'data:';
  const head = doc.head;
  const prepend = (element: Element) => head.insertBefore(element, head.firstChild);
  const style = doc.createElement('style');
  style.textContent = BASE_STYLE + styleAttributesToSheet(doc);
  if (options.nonce) style.setAttribute('nonce', options.nonce);
  prepend(style);
  const base = doc.createElement('base');
  base.setAttribute('target', '_blank');
  prepend(base);
  const referrer = doc.createElement('meta');
  referrer.setAttribute('name', 'referrer');
  referrer.setAttribute('content', 'no-referrer');
  prepend(referrer);
  const csp = doc.createElement('meta');
  csp.setAttribute('http-equiv', 'Content-Security-Policy');
  csp.setAttribute(
    'content',
    `default-src 'none'; img-src ${imageSources}; style-src ${options.nonce ? `'nonce-${options.nonce}'` : "'unsafe-inline'"}; font-src data:`,
  );
  prepend(csp);
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  prepend(charset);

  return { srcdoc: `<!DOCTYPE html>${doc.documentElement.outerHTML}`, remoteImages };
}

/** How many remote images an article's HTML has, without preparing it. */
export function countRemoteImages(html: string): number {
  return new DOMParser().parseFromString(html, 'text/html').querySelectorAll(`[${REMOTE_ATTRIBUTE}]`).length;
}
