/** A search snippet as the API sends it: plain text and the hits as character offsets. */
export interface Snippet {
  text: string;
  highlights: readonly { start: number; length: number }[];
}

/** A run of snippet text, a hit or not. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

/**
 * Splits a snippet into runs to mark the hits, counting characters as Unicode scalar values
 * (as the server does: `æ`, `ø` and emoji are one each). Overlapping or out-of-range hits are
 * clipped, never thrown on. The text stays text: nothing is rendered as HTML.
 */
export function snippetParts(snippet: Snippet): SnippetPart[] {
  const chars = Array.from(snippet.text);
  const hits = [...snippet.highlights]
    .filter((hit) => hit.length > 0 && hit.start < chars.length)
    .sort((a, b) => a.start - b.start);
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const hit of hits) {
    const start = Math.max(hit.start, at);
    const end = Math.min(hit.start + hit.length, chars.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), hit: false });
    parts.push({ text: chars.slice(start, end).join(''), hit: true });
    at = end;
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), hit: false });
  return parts;
}
