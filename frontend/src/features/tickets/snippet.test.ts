import { describe, expect, it } from 'vitest';

import { snippetParts } from './snippet';

describe('snippetParts', () => {
  it('marks the hits, counting characters as the server does (Unicode scalar values)', () => {
    // "blåbær" has 6 characters; the emoji is one, though two UTF-16 units.
    const text = '😀 blåbær printer';
    expect(snippetParts({ text, highlights: [{ start: 2, length: 6 }, { start: 9, length: 7 }] })).toEqual([
      { text: '😀 ', hit: false },
      { text: 'blåbær', hit: true },
      { text: ' ', hit: false },
      { text: 'printer', hit: true },
    ]);
  });

  it('clips overlapping and out-of-range hits instead of failing', () => {
    expect(snippetParts({ text: 'abcdef', highlights: [{ start: 3, length: 10 }, { start: 1, length: 3 }, { start: 40, length: 2 }] })).toEqual([
      { text: 'a', hit: false },
      { text: 'bcd', hit: true },
      { text: 'ef', hit: true },
    ]);
    expect(snippetParts({ text: 'plain', highlights: [] })).toEqual([{ text: 'plain', hit: false }]);
  });
});
