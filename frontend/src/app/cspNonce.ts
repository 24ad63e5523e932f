import { setNonce } from 'get-nonce';

/** What `index.html` holds until the server puts a fresh nonce there (the Vite dev server never does). */
const PLACEHOLDER = '__VAKT_CSP_NONCE__';

/**
 * The nonce the server's Content-Security-Policy allows `<style>` elements with, read from the
 * page's `<meta name="csp-nonce">` (a fresh one with every `index.html`), or `undefined` when the
 * page was not served by Vakt (the dev server sends no policy).
 */
export const cspNonce: string | undefined = (() => {
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
  return value && value !== PLACEHOLDER ? value : undefined;
})();

/**
 * Hands the nonce to the libraries that inject `<style>` elements at run time (the scroll lock of
 * Mantine's dialogs); Mantine's own styles get it through `MantineProvider`'s `getStyleNonce`.
 */
export function installCspNonce(): void {
  if (cspNonce) setNonce(cspNonce);
}
