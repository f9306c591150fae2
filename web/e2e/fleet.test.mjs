// Browser test of the Fleet view: a real two-shard ClickHouse cluster on
// loopback (tests/fleet/clickhouse_cluster.sh), a PLC trace pushed into it
// with `plcscope push`, and `plcscope serve --clickhouse` driven in Chromium.
// The trace's answers are known by construction: CNV-101's I_MOVE_IN turns ON
// every 4 s (10 times: 9 cycles of 4,000 ms), CNV-102's every 3 s (5 times:
// 4 cycles of 3,000 ms).
// Run: npm run build && node --test e2e/fleet.test.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkPrerequisites, launchBrowser, makeTmpDir, repoDir, screenshot, serverBin, startServer, uploadFile } from './harness.mjs';

const T0 = Date.UTC(2025, 8, 22, 13, 0, 0);
const DB = 'e2e_fleet';
const cluster = join(repoDir, 'tests/fleet/clickhouse_cluster.sh');

function ts(ms) {
  return new Date(T0 + ms).toISOString().replace('T', ' ').replace('Z', '');
}

function plcLog() {
  const lines = [];
  const add = (ms, dev, v) => lines.push({ ms, text: `${ts(ms)} [Debug] [LINE1/BELTS/${dev}@B1] [INPUT2:I_MOVE_IN] (Boolean) : ${v}` });
  for (let k = 0; k < 10; k++) {
    add(k * 4000, 'CNV-101', 'ON');
    add(k * 4000 + 1500, 'CNV-101', 'OFF');
  }
  for (let k = 0; k < 5; k++) {
    add(k * 3000 + 100, 'CNV-102', 'ON');
    add(k * 3000 + 1100, 'CNV-102', 'OFF');
  }
  lines.sort((a, b) => a.ms - b.ms);
  return lines.map((l) => l.text).join('\n') + '\n';
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

describe('fleet view', () => {
  let dir, clusterDir, urls, server, browser, page, logPath;

  before(async () => {
    checkPrerequisites();
    dir = makeTmpDir('plcscope-e2e-fleet-');
    clusterDir = join(dir, 'cluster');
    run('bash', [cluster, 'start', clusterDir]);
    urls = readFileSync(join(clusterDir, 'urls'), 'utf8').trim();
    logPath = join(dir, 'belts.log');
    writeFileSync(logPath, plcLog());
    run(serverBin, ['push', logPath, '--clickhouse', urls, '--cluster', 'plcscope_test', '--database', DB, '--data-dir', join(dir, 'push-data'), '--json']);
    server = await startServer({ extraArgs: ['--clickhouse', urls, '--clickhouse-database', DB] });
    await uploadFile(server.url, logPath, 'belts.log');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (clusterDir) spawnSync('bash', [cluster, 'stop', clusterDir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('lists the pushed files, searches across them, computes cycles per device and opens a hit in the diagram', async () => {
    await page.goto(server.url);
    const tab = page.locator('[data-tab="fleet"]');
    await tab.waitFor({ timeout: 10_000 });
    await tab.click();
    const file = page.locator('[data-testid="fleet-file"]');
    await file.first().waitFor();
    assert.equal(await file.count(), 1);
    const row = await file.first().innerText();
    assert.match(row, /belts\.log/);
    assert.match(row, /\b30\b/, `30 samples in ${row}`);

    await page.fill('[data-testid="fleet-search-signal"]', 'CNV-102::I_MOVE_IN');
    await page.fill('[data-testid="fleet-search-value"]', 'ON');
    await page.locator('[data-testid="fleet-search"] button[type="submit"]').click();
    const hits = page.locator('[data-testid="fleet-hit"]');
    await hits.first().waitFor();
    assert.equal(await hits.count(), 5);
    assert.match(await hits.first().innerText(), /2025-09-22 13:00:00\.100/);

    await page.fill('[data-testid="fleet-cycles-signal"]', 'I_MOVE_IN');
    await page.locator('[data-testid="fleet-cycles"] button[type="submit"]').click();
    const devices = page.locator('[data-testid="fleet-device"]');
    await devices.first().waitFor();
    const texts = await devices.allInnerTexts();
    assert.equal(texts.length, 2, texts.join('\n'));
    const cells = texts.map((t) => t.split('\t').map((c) => c.trim()));
    assert.deepEqual(cells[0].slice(0, 4), ['CNV-101', '1', '9', '4,000']);
    assert.deepEqual(cells[1].slice(0, 4), ['CNV-102', '1', '4', '3,000']);
    await screenshot(page, 'fleet-view');

    // The file is also on this server: a hit opens it in the diagram at its time.
    await hits.nth(2).click();
    await page.locator('[data-tab="timing"][aria-selected="true"]').waitFor({ timeout: 15_000 });
    const hitMs = T0 + 2 * 3000 + 100;
    await page.waitForFunction((ms) => new URL(location.href).searchParams.get('cur') === String(ms), hitMs, { timeout: 15_000 });
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('view'), 'timing');
    assert.ok(url.searchParams.get('session'), 'a session is open');
    assert.ok((url.searchParams.get('lanes') ?? '').split(',').includes('CNV-102::I_MOVE_IN'), url.href);
    await screenshot(page, 'fleet-hit-in-timing');
  });

  test('an unreachable cluster is named in the view while the rest of the UI works', async () => {
    const down = await startServer({ extraArgs: ['--clickhouse', 'http://127.0.0.1:1'] });
    try {
      const p = await browser.newPage();
      await p.goto(down.url);
      await p.locator('[data-tab="fleet"]').click();
      const err = p.locator('[data-testid="fleet-files"] [role="alert"]');
      await err.waitFor();
      assert.match(await err.innerText(), /127\.0\.0\.1:1/);
      await p.locator('[data-tab="home"]').click();
      await p.locator('[data-testid="recent-files"]').waitFor();
      await p.close();
    } finally {
      await down.stop();
    }
  });
});
