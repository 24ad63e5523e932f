import { describe, expect, it } from 'vitest';

import { htmlToText, isRichHtml, textToHtml } from './bodyFormat';

describe('KB bodies', () => {
  it('tells HTML written as HTML from paragraphs made of text', () => {
    expect(isRichHtml('<p>One</p><p>Two<br>three</p>')).toBe(false);
    expect(isRichHtml('<p>One <strong>bold</strong></p>')).toBe(true);
    expect(isRichHtml('<ul><li>a</li></ul>')).toBe(true);
    expect(isRichHtml('<pre>x</pre>')).toBe(true);
  });

  it('makes text into paragraphs as the server does, escaping markup', () => {
    expect(textToHtml('Line <1>\nline 2\n\nNext')).toBe('<p>Line &lt;1&gt;<br>line 2</p><p>Next</p>');
  });

  it('reads the text back out of HTML, a blank line between blocks', () => {
    expect(htmlToText('<p>Line 1<br>line 2</p><ul><li>a</li><li>b</li></ul>')).toBe('Line 1\nline 2\n\na\n\nb');
    expect(htmlToText('plain')).toBe('plain');
  });
});
