// Starts what the end-to-end tests run against: builds the SPA, then runs the real `vakt`
// binary on a fresh SQLite database in a temporary folder, on a free port, serving
// frontend/dist, and waits for /readyz. Stops it and removes the folder afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

import { ADMIN_EMAIL, ADMIN_PASSWORD, ARTIFACTS } from './credentials';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the running server, e.g. http://127.0.0.1:41234. */
    baseUrl: string;
    /** Path of the Chromium to drive, or '' to skip the browser tests. */
    chromium: string;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function findBinary(): string {
  const candidates = [
    process.env.VAKT_BIN,
    resolve(root, '../target/debug/vakt'),
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug/vakt'),
  ].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `no vakt binary (looked at ${candidates.join(', ')}); build it with ` +
        '`cargo build -p vakt-server --bin vakt` or set VAKT_BIN',
    );
  }
  return resolve(found);
}

function findChromium(): string {
  const path = process.env.VAKT_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.env.VAKT_TEST_REQUIRE_BROWSER === '1') {
    throw new Error(`${path} is missing and VAKT_TEST_REQUIRE_BROWSER=1 (apt-get install -y chromium)`);
  }
  console.warn(`NOTE: ${path} is missing: the browser tests are skipped (apt-get install -y chromium)`);
  return '';
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vakt serve exited with ${child.exitCode}; see e2e-artifacts/server.log`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vakt serve was not ready within ${seconds} s; see e2e-artifacts/server.log`);
}

/** Vitest global setup: returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chromium = findChromium();
  project.provide('chromium', chromium);
  if (!chromium) {
    project.provide('baseUrl', '');
    return () => Promise.resolve(); // every test is skipped: no server needed
  }
  const binary = findBinary();

  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');

  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'vakt-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(ARTIFACTS, 'server.log'));
  const child = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${join(dataDir, 'vakt.db')}`,
      VAKT_BIND: `127.0.0.1:${port}`,
      VAKT_STATIC_DIR: join(root, 'dist'),
      VAKT_ADMIN_EMAIL: ADMIN_EMAIL,
      VAKT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      VAKT_WORKERS: '2',
      VAKT_LOG: process.env.VAKT_LOG ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  try {
    await waitReady(baseUrl, child, 60);
  } catch (error) {
    stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  console.log(`vakt serve (${binary}) ready at ${baseUrl}`);
  project.provide('baseUrl', baseUrl);

  return async () => {
    stop();
    await new Promise<void>((done) => {
      if (child.exitCode !== null) done();
      else child.once('exit', () => done());
      setTimeout(done, 10_000).unref();
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
