// Browser test harness: starts the built plcscope server on a free port with
// a temporary data dir, serving the built UI (web/dist), and launches
// Debian's Chromium through playwright-core. Builds nothing itself.
//
//   server binary: $PLCSCOPE_BIN or ../build/src/app/plcscope (repo root)
//   UI:            web/dist (npm run build)

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(webDir, '..');
export const serverBin = process.env.PLCSCOPE_BIN ?? join(repoDir, 'build/src/app/plcscope');
export const uiDir = join(webDir, 'dist');
export const screenshotDir = join(webDir, 'test-results/screenshots');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(serverBin)) missing.push(`the server binary ${serverBin} (build it: cmake -S . -B build -G Ninja && ninja -C build)`);
  if (!existsSync(join(uiDir, 'index.html'))) missing.push(`the built UI ${uiDir} (npm run build)`);
  if (!existsSync(chromiumPath)) missing.push(`Chromium at ${chromiumPath} (apt-get install chromium)`);
  if (missing.length > 0) throw new Error(`browser tests need ${missing.join('; ')}`);
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export function makeTmpDir(prefix = 'plcscope-e2e-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `plcscope serve` and waits until /api/health answers. */
export async function startServer({ dataDir, files = [], extraArgs = [] } = {}) {
  const port = await freePort();
  const dir = dataDir ?? makeTmpDir('plcscope-e2e-data-');
  const args = ['serve', ...files, '--port', String(port), '--data-dir', dir, '--no-auth', '--ui-dir', uiDir, '--quiet', ...extraArgs];
  const proc = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`plcscope serve exited (${proc.exitCode}): ${log}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`plcscope serve did not answer /api/health within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dataDir: dir,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            r();
          }, 5000);
          proc.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium via playwright-core; `scrollbars` keeps real scrollbars (Playwright hides them by default). */
export function launchBrowser({ scrollbars = false } = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    ignoreDefaultArgs: scrollbars ? ['--hide-scrollbars'] : [],
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Generates a plc_debug file with the project's generator (`plcscope gen`). */
export function generateLog(outFile, lines, seed = 1) {
  const r = spawnSync(serverBin, ['gen', '--format', 'plc_debug', '--lines', String(lines), '--seed', String(seed), '-o', outFile], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(outFile)) {
    throw new Error(`plcscope gen failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return outFile;
}

export async function apiJson(base, path, init) {
  const r = await fetch(`${base}/api${path}`, init);
  const text = await r.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body };
}

/** Streams a file from disk as a raw upload body (with Content-Length); resolves with the FileInfo. */
export function uploadFile(base, path, name) {
  return new Promise((resolve, reject) => {
    const u = new URL(`${base}/api/files/upload?name=${encodeURIComponent(name)}`);
    const req = request(u, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': statSync(path).size } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`upload failed ${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

/** Uploads a file from disk as a raw body and parses it; resolves when complete. */
export async function uploadAndParse(base, path, name) {
  const file = await uploadFile(base, path, name);
  const p = await apiJson(base, '/parse', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileId: file.id }) });
  if (p.status !== 202 && p.status !== 200) throw new Error(`parse failed ${p.status}: ${JSON.stringify(p.body)}`);
  const t0 = Date.now();
  for (;;) {
    const s = await apiJson(base, `/parse/${p.body.id}/status`);
    if (s.body.status === 'complete') return { file, session: s.body, parseWallMs: Date.now() - t0 };
    if (s.body.status === 'error') throw new Error(`parse error: ${JSON.stringify(s.body)}`);
    if (Date.now() - t0 > 300_000) throw new Error('parse did not complete in 5 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** "2025-09-22T13:00:00.199Z" → the table's "2025-09-22 13:00:00.199". */
export function tableTime(ts) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(ts);
  return m ? `${m[1]} ${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}` : ts;
}

export function valueText(v) {
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
}
