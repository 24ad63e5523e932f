/** Article bodies between plain text and HTML, as the server makes them (crates/service/src/kb/body.rs). */

/** The languages an entry can have (SPEC §6). */
export const KB_LANGUAGES = ['en', 'nl', 'nb', 'de'];

/**
 * Whether a body's HTML is more than the paragraphs and line breaks the server makes of plain
 * text: then it was written as HTML and is shown (and edited) as HTML.
 */
export function isRichHtml(html: string): boolean {
  return /<(?!\/?(p|br)\b)[a-z]/i.test(html);
}

/** An article's body made into HTML paragraphs, as the server does with plain text. */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escape(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The text of some HTML, paragraphs separated by blank lines. */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  const blocks = [...doc.body.querySelectorAll('p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, div')].filter(
    (element) => !element.querySelector('p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, div'),
  );
  const parts = blocks.length > 0 ? blocks.map((b) => b.textContent) : [doc.body.textContent];
  return parts.map((p) => p.trim()).filter(Boolean).join('\n\n');
}
