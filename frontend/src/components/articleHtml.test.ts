import { describe, expect, it } from 'vitest';

import { countRemoteImages, prepareArticleHtml, styleDeclarations } from './articleHtml';

const MAIL =
  '<p>Hello <b>there</b></p>' +
  '<img alt="logo" data-vakt-remote-src="https://tracker.example/pixel.gif?u=42">' +
  '<img alt="chart" data-vakt-remote-src="http://images.example/chart.png">' +
  '<img alt="inline" src="cid:part1@example">' +
  '<img alt="missing" src="cid:gone@example">' +
  '<a href="https://example.org/help">help</a>';

function parse(srcdoc: string): Document {
  return new DOMParser().parseFromString(srcdoc, 'text/html');
}

describe('prepareArticleHtml', () => {
  it('blocks remote images until asked: no src, marked as blocked, counted', () => {
    const { srcdoc, remoteImages } = prepareArticleHtml(MAIL, { showRemoteImages: false });
    expect(remoteImages).toBe(2);
    const doc = parse(srcdoc);
    const remote = [...doc.querySelectorAll('img[data-vakt-remote-src]')];
    expect(remote.map((img) => img.getAttribute('src'))).toEqual([null, null]);
    expect(remote.every((img) => img.hasAttribute('data-vakt-blocked'))).toBe(true);
    expect(srcdoc).not.toMatch(/\ssrc="https:\/\/tracker/);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(csp).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:");
  });

  it('loads them once shown, and lets the frame’s policy allow web images', () => {
    const { srcdoc } = prepareArticleHtml(MAIL, { showRemoteImages: true });
    const doc = parse(srcdoc);
    expect([...doc.querySelectorAll('img[data-vakt-remote-src]')].map((img) => img.getAttribute('src'))).toEqual([
      'https://tracker.example/pixel.gif?u=42',
      'http://images.example/chart.png',
    ]);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain(
      'img-src data: https: http:',
    );
    expect(doc.querySelector('meta[name="referrer"]')?.getAttribute('content')).toBe('no-referrer');
  });

  it('never shows a remote address that is not a web URL', () => {
    const html = '<img data-vakt-remote-src="javascript:alert(1)"><img src="https://sneaky.example/x.png">';
    const doc = parse(prepareArticleHtml(html, { showRemoteImages: true }).srcdoc);
    expect([...doc.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual([null, null]);
  });

  it('replaces cid: references by the inline parts and drops unknown ones', () => {
    const inlineImages = new Map([['part1@example', 'data:image/png;base64,AAAA']]);
    const doc = parse(prepareArticleHtml(MAIL, { showRemoteImages: false, inlineImages }).srcdoc);
    expect(doc.querySelector('img[alt="inline"]')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(doc.querySelector('img[alt="missing"]')?.hasAttribute('src')).toBe(false);
  });

  it('removes scripts and frames and opens links in a new tab', () => {
    const html = '<p>x</p><script>alert(1)</script><iframe src="https://e.example"></iframe><base href="https://evil.example/">';
    const doc = parse(prepareArticleHtml(html, { showRemoteImages: false }).srcdoc);
    expect(doc.querySelectorAll('script, iframe').length).toBe(0);
    expect([...doc.querySelectorAll('base')].map((b) => b.outerHTML)).toEqual(['<base target="_blank">']);
    expect(doc.body.textContent).toBe('x');
  });

  it('moves style attributes into the one style sheet, which carries the page nonce', () => {
    const html = '<p style="color: red; text-align: center">red</p><p>plain</p><span style="">empty</span>';
    const doc = parse(prepareArticleHtml(html, { showRemoteImages: false, nonce: 'n0nce' }).srcdoc);
    expect(doc.querySelectorAll('[style]').length).toBe(0);
    const styles = [...doc.querySelectorAll('style')];
    expect(styles.map((s) => s.getAttribute('nonce'))).toEqual(['n0nce']);
    const mark = doc.querySelector('p')?.getAttribute('data-vakt-style');
    expect(mark).toBeTruthy();
    expect(styles[0]?.textContent).toContain(`[data-vakt-style="${mark}"]{color:red !important;text-align:center !important}`);
    expect(doc.querySelectorAll('[data-vakt-style]').length).toBe(1);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(csp).toBe("default-src 'none'; img-src data:; style-src 'nonce-n0nce'; font-src data:");
  });

  it('reads style declarations from the text, keeping parentheses whole and dropping escapes', () => {
    expect(styleDeclarations('color:rgb(200, 0, 0);font-family:"Segoe UI", Arial ; TEXT-ALIGN: center')).toEqual([
      ['color', 'rgb(200, 0, 0)'],
      ['font-family', '"Segoe UI", Arial'],
      ['text-align', 'center'],
    ]);
    expect(styleDeclarations('color:red}body{display:none')).toEqual([]);
    expect(styleDeclarations('color: blue !important;;nothing;:x')).toEqual([['color', 'blue']]);
  });

  it('counts remote images', () => {
    expect(countRemoteImages(MAIL)).toBe(2);
    expect(countRemoteImages('<p>plain</p>')).toBe(0);
  });
});
