import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Screenshots and the server log land here (git-ignored). */
export const ARTIFACTS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'e2e-artifacts');
/** The first administrator the harness creates (VAKT_ADMIN_EMAIL / VAKT_ADMIN_PASSWORD). */
export const ADMIN_EMAIL = 'admin@example.org';
/** Its password. */
export const ADMIN_PASSWORD = 'e2e admin passphrase';
/** The name the server gives the first administrator. */
export const ADMIN_NAME = 'Administrator';
