// Browser tests of the plcscope UI: real Chromium against the real server.
// Run: npm run build && npm run test:e2e (needs ../build/src/app/plcscope).

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  apiJson,
  checkPrerequisites,
  generateLog,
  launchBrowser,
  makeTmpDir,
  screenshot,
  startServer,
  tableTime,
  uploadAndParse,
  valueText,
} from './harness.mjs';

const kBigLines = Number(process.env.PLCSCOPE_E2E_LINES ?? 1_000_000);

let server;
let browser;
let context;
let page;
let tmp;
let big; // { file, session }

// A small plc_debug file: `good` valid lines (one signal toggling per device)
// and two bad lines at known line numbers.
function smallLog(good) {
  const lines = [];
  for (let i = 0; i < good; i++) {
    const ms = String(i % 1000).padStart(3, '0');
    const s = String(Math.floor(i / 1000)).padStart(2, '0');
    const dev = `SYSTEM/LINE1/DEV-${100 + (i % 3)}`;
    lines.push(`2025-09-22 13:00:${s}.${ms} [Debug] [${dev}] [INPUT:I_MOVE_IN] (Boolean) : ${i % 2 ? 'ON' : 'OFF'}`);
    if (i === 4) lines.push('this line is not a plc trace line');
    if (i === 9) lines.push('2025-13-40 99:00:00.000 [Debug] [SYSTEM/X/DEV-1] [A:B] (Boolean) : ON');
  }
  return lines.join('\n') + '\n';
}

async function renderedRows() {
  return page.$$eval('[data-testid=log-grid] .grid-row', (els) =>
    els.map((el) => {
      const cells = {};
      for (const c of el.querySelectorAll('.cell')) {
        const m = /c-(\w+)/.exec(c.className);
        if (m) cells[m[1]] = c.textContent;
      }
      return { row: Number(el.dataset.row), loading: el.dataset.loading === 'true', selected: el.classList.contains('selected'), cells };
    }),
  );
}

/** Waits until the grid shows rows and none is a placeholder. */
async function settledRows(timeout = 10_000) {
  const t0 = Date.now();
  for (;;) {
    const rows = await renderedRows();
    if (rows.length > 0 && rows.every((r) => !r.loading)) return rows;
    if (Date.now() - t0 > timeout) throw new Error(`rows did not load: ${JSON.stringify(rows.slice(0, 3))}`);
    await page.waitForTimeout(20);
  }
}

/** Fetches entries [first, last] of a query from the API (pages of 1000). */
async function apiRows(sessionId, params, first, last) {
  const out = new Map();
  for (let p = Math.floor(first / 1000); p <= Math.floor(last / 1000); p++) {
    const q = new URLSearchParams(params);
    q.set('page', String(p + 1));
    q.set('pageSize', '1000');
    const r = await apiJson(server.url, `/parse/${sessionId}/entries?${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r.body.entries.forEach((e, k) => out.set(p * 1000 + k, e));
  }
  return out;
}

/** Asserts every rendered, loaded row shows exactly the API's row at its index. */
async function assertRowsMatch(rows, sessionId, params = {}) {
  const loaded = rows.filter((r) => !r.loading);
  assert.ok(loaded.length > 0, 'no loaded rows');
  const lo = Math.min(...loaded.map((r) => r.row));
  const hi = Math.max(...loaded.map((r) => r.row));
  const want = await apiRows(sessionId, params, lo, hi);
  for (const r of loaded) {
    const e = want.get(r.row);
    assert.ok(e, `row ${r.row} missing from the API answer`);
    assert.equal(r.cells.time, tableTime(e.timestamp), `time of row ${r.row}`);
    assert.equal(r.cells.signal, e.signalName, `signal of row ${r.row}`);
    assert.equal(r.cells.device, e.deviceId, `device of row ${r.row}`);
    assert.equal(r.cells.value, valueText(e.value), `value of row ${r.row}`);
  }
}

async function gridScroll(fraction) {
  await page.$eval(
    '[data-testid=log-grid]',
    (el, f) => {
      el.scrollTop = f >= 1 ? el.scrollHeight : (el.scrollHeight - el.clientHeight) * f;
    },
    fraction,
  );
}

async function openTab(id) {
  await page.click(`[data-tab=${id}]`);
}

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir();
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('shell and home', () => {
  test('the shell loads with the server dot green and every tab', async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=server-status].ok');
    const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(tabs, ['Home', 'Log Table', 'Timing Diagram', 'Transitions', 'Map']);
    await screenshot(page, '01-home-empty');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-dialog]');
    const help = await page.textContent('[data-testid=help-dialog]');
    assert.match(help, /Ctrl\+Shift\+G/);
    assert.match(help, /Ctrl\+C/);
    await screenshot(page, '02-help');
    await page.keyboard.press('Escape');
  });

  test('a file dropped on the drop zone uploads and parses', async () => {
    const text = smallLog(300);
    const dt = await page.evaluateHandle((t) => {
      const d = new DataTransfer();
      d.items.add(new File([t], 'small-trace.log', { type: 'text/plain' }));
      return d;
    }, text);
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    await page.waitForSelector('[data-testid=session-card][data-status=complete]', { timeout: 30_000 });
    assert.equal(await page.textContent('[data-testid=session-entries]'), '300');
    assert.match(await page.textContent('[data-testid=session-name]'), /small-trace\.log/);
    // Two bad lines, one click away, with their line numbers (6 and 12).
    await page.click('[data-testid=show-errors]');
    await page.waitForSelector('[data-testid=errors-table]');
    const lines = await page.$$eval('[data-testid=errors-table] tbody tr td:first-child', (t) => t.map((x) => Number(x.textContent)));
    assert.deepEqual(lines, [6, 12]);
    await screenshot(page, '03-home-session');
    const recent = await page.$$eval('[data-testid=recent-row]', (r) => r.map((x) => x.textContent));
    assert.ok(recent.some((r) => r.includes('small-trace.log')));
  });

  test('a bad upload shows the server sentence', async () => {
    const garbage = 'x'.repeat(20) + '\u0000\u0001\u0002 not a log at all\n'.repeat(50);
    const dt = await page.evaluateHandle((t) => {
      const d = new DataTransfer();
      d.items.add(new File([t], 'garbage.bin'));
      return d;
    }, garbage);
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    const el = await page.waitForSelector('[data-testid=error-banner], [data-testid=upload-error]', { timeout: 30_000 });
    const shown = (await el.textContent()).trim();
    // The same input through the API gives the same sentence.
    const up = await apiJson(server.url, `/files/upload?name=garbage2.bin`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: garbage });
    let sentence;
    if (up.status >= 400) sentence = up.body.error;
    else {
      const p = await apiJson(server.url, '/parse', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileId: up.body.id }) });
      if (p.status >= 400) sentence = p.body.error;
      else {
        let s;
        for (let i = 0; i < 100; i++) {
          s = await apiJson(server.url, `/parse/${p.body.id}/status`);
          if (s.body.status === 'error' || s.body.status === 'complete') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(s.body.status, 'error', 'garbage should not parse');
        sentence = s.body.error;
      }
    }
    assert.ok(sentence && sentence.length > 5, `server sentence: ${sentence}`);
    assert.ok(shown.includes(sentence), `shown "${shown}" should include "${sentence}"`);
    await screenshot(page, '04-bad-upload');
    await page.click('[data-testid=error-banner] button').catch(() => undefined);
  });
});

describe(`log table on a generated session of ${kBigLines} rows`, () => {
  before(async () => {
    // PLCSCOPE_E2E_LOG names an existing trace to use instead of generating one.
    const given = process.env.PLCSCOPE_E2E_LOG;
    const file = given ?? join(tmp, 'big.log');
    if (!given) generateLog(file, kBigLines, 1);
    big = await uploadAndParse(server.url, file, 'generated-1M.log');
    if (!given) rmSync(file, { force: true });
    assert.ok(big.session.entryCount >= kBigLines * 0.99, `entries ${big.session.entryCount}`);
  });

  test('?session= opens it and the first rows are right', async () => {
    await page.goto(`${server.url}/?session=${big.session.id}&view=log`);
    const rows = await settledRows(15_000);
    assert.equal(rows[0].row, 0);
    await assertRowsMatch(rows, big.session.id);
    const count = await page.textContent('[data-testid=row-count]');
    assert.equal(count.replace(/[^0-9]/g, ''), String(big.session.entryCount));
    await screenshot(page, '05-log-table');
  });

  test('scrolling to the middle and to the end shows the right rows', async () => {
    const total = big.session.entryCount;
    await gridScroll(0.5);
    let rows = await settledRows();
    const first = rows[0].row;
    assert.ok(Math.abs(first - total / 2) < total * 0.01, `middle first row ${first}`);
    await assertRowsMatch(rows, big.session.id);
    // Fast scrolling: many positions in a row, then check what is shown.
    // Whatever is on screen at any moment is either a placeholder or the
    // right row for its index: never a stale row of another position.
    for (const f of [0.9, 0.1, 0.73, 0.31, 0.999, 0.42]) {
      await gridScroll(f);
      await page.waitForTimeout(5);
      const shown = (await renderedRows()).filter((r) => !r.loading);
      if (shown.length > 0) await assertRowsMatch(shown, big.session.id);
    }
    await gridScroll(1);
    rows = await settledRows();
    assert.equal(rows[rows.length - 1].row, total - 1, 'the last row is shown at the end');
    await assertRowsMatch(rows, big.session.id);
    await screenshot(page, '06-log-table-end');
    // Wheel scrolling moves by rows, not by thousands of rows.
    await page.hover('[data-testid=log-grid] .grid-row');
    await gridScroll(0.5);
    const before = (await settledRows())[0].row;
    await page.mouse.wheel(0, 220);
    await page.waitForTimeout(50);
    const afterWheel = (await settledRows())[0].row;
    assert.ok(afterWheel - before >= 5 && afterWheel - before <= 15, `wheel moved ${afterWheel - before} rows`);
  });

  test('filters, marks matches and shows the count; a bad regex shows the server sentence', async () => {
    await gridScroll(0);
    const first = (await settledRows())[0];
    const needle = first.cells.signal;
    await page.fill('[data-testid=search-input]', needle);
    const want = await apiJson(server.url, `/parse/${big.session.id}/entries?search=${encodeURIComponent(needle)}&pageSize=1`);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=row-count]')?.textContent?.replace(/,/g, '').startsWith(`${n} of`),
      want.body.total,
      { timeout: 10_000 },
    );
    const rows = await settledRows();
    await assertRowsMatch(rows, big.session.id, { search: needle });
    assert.ok(await page.$('[data-testid=log-grid] mark'), 'matches are marked');
    await screenshot(page, '07-log-filtered');
    await page.click('[data-testid=regex-toggle]');
    await page.fill('[data-testid=search-input]', '(unclosed');
    const bad = await apiJson(server.url, `/parse/${big.session.id}/entries?search=${encodeURIComponent('(unclosed')}&regex=true`);
    assert.equal(bad.status, 400);
    const err = await page.waitForSelector('[data-testid=search-error]', { timeout: 10_000 });
    assert.equal((await err.textContent()).trim(), bad.body.error);
    await page.click('[data-testid=regex-toggle]');
    await page.fill('[data-testid=search-input]', '');
    await page.waitForFunction(() => !document.querySelector('[data-testid=row-count]')?.textContent?.includes(' of '));
  });

  test('sorts by a header click, both directions', async () => {
    await page.click('[data-testid=log-grid] .hcell[data-col=value]');
    let rows = await settledRows();
    await assertRowsMatch(rows, big.session.id, { sort: 'value', order: 'asc' });
    await page.click('[data-testid=log-grid] .hcell[data-col=value]');
    await page.waitForTimeout(50);
    rows = await settledRows();
    await assertRowsMatch(rows, big.session.id, { sort: 'value', order: 'desc' });
    await page.click('[data-testid=log-grid] .hcell[data-col=time]');
    rows = await settledRows();
    await assertRowsMatch(rows, big.session.id);
  });

  test('jumps to a typed time and selects the first row at or after it', async () => {
    const s = big.session;
    const ts = Math.floor(s.startTime + (s.endTime - s.startTime) * 0.6);
    const d = new Date(ts);
    const typed = d.toISOString().replace('T', ' ').replace('Z', '');
    await page.click('[data-testid=log-grid]');
    await page.keyboard.press('Control+Shift+G');
    await page.waitForSelector('[data-testid=jump-dialog]');
    await screenshot(page, '08-jump-dialog');
    await page.fill('[data-testid=jump-input]', typed);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=jump-dialog]', { state: 'detached' });
    const idx = await apiJson(server.url, `/parse/${s.id}/index-of-time?ts=${ts}`);
    assert.ok(idx.body.index >= 0);
    await page.waitForSelector(`[data-testid=log-grid] .grid-row.selected[data-row="${idx.body.index}"]`, { timeout: 10_000 });
    const rows = await settledRows();
    await assertRowsMatch(rows, s.id);
    const sel = rows.find((r) => r.selected);
    assert.ok(sel.cells.time >= typed.slice(0, 23), `${sel.cells.time} >= ${typed}`);
  });

  test('selects with click and Shift+click and copies as TSV', async () => {
    const rows = await settledRows();
    const a = rows[3].row;
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${a}"]`);
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${a + 4}"]`, { modifiers: ['Shift'] });
    await page.keyboard.press('ArrowDown', { delay: 0 }).catch(() => undefined);
    await page.keyboard.press('Shift+ArrowUp');
    const selected = (await renderedRows()).filter((r) => r.selected).map((r) => r.row);
    assert.deepEqual(selected, [a + 4]);
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${a}"]`);
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${a + 4}"]`, { modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await page.waitForSelector('[data-testid=toast]');
    const copied = await page.evaluate(() => window.__plcscopeLastCopy);
    const lines = copied.split('\n');
    assert.equal(lines.length, 5);
    const shown = (await renderedRows()).filter((r) => r.row >= a && r.row <= a + 4);
    lines.forEach((line, k) => {
      const f = line.split('\t');
      assert.equal(f[0], shown[k].cells.time);
      assert.equal(f[1], shown[k].cells.device);
      assert.equal(f[2], shown[k].cells.signal);
      assert.equal(f[4], shown[k].cells.value);
    });
    const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null);
    if (clip !== null) assert.equal(clip, copied);
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${a}"]`, { button: 'right' });
    await page.waitForSelector('[data-testid=context-menu]');
    await screenshot(page, '09-context-menu');
    await page.keyboard.press('Escape');
  });

  test('reload restores the session', async () => {
    await page.goto(server.url);
    await page.waitForFunction((id) => location.search.includes(id), big.session.id);
    assert.match(await page.textContent('[data-testid=session-name]'), /generated-1M\.log/);
    await openTab('log');
    const rows = await settledRows(15_000);
    await assertRowsMatch(rows, big.session.id);
    await openTab('timing');
    await screenshot(page, '10-timing');
    await page.click('button[title^="Switch between light and dark"]');
    await openTab('log');
    await settledRows();
    await screenshot(page, '11-log-table-dark');
    await page.click('button[title^="Switch between light and dark"]');
  });
});
