// Vite build of the plcscope UI into web/dist (served by `plcscope serve`).
// `npm run dev` proxies /api to a local server: PLCSCOPE_PORT (default 8080).
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

const apiPort = process.env.PLCSCOPE_PORT ?? '8080';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: { '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } },
  },
  build: { outDir: 'dist', target: 'es2022', emptyOutDir: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
