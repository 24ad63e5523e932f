/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development, `/api`, the health endpoints and the OpenAPI page go to a running
// `vakt serve` (VAKT_DEV_API, default http://127.0.0.1:8080).
const api = process.env.VAKT_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    outDir: 'dist',
    // The bundle-size check (scripts/check-bundle.mjs) reads the manifest to find the
    // entry chunk and its static imports.
    manifest: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    restoreMocks: true,
  },
});
