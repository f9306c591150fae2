// Browser tests of the log table's tools against the real server and Debian's
// Chromium: next / previous match in Highlight mode ("k / N", F3, Enter in
// the search box, ties of equal times, runs longer than a page, other
// filters), the match-density strip, and saved filter sets (save, apply in another page of the same
// browser, export, delete, import, a bad file). The expected rows are computed here from the unfiltered rows of
// /entries. Screenshots go to web/test-results/screenshots/log-tools-*.png.
//
//   node --test e2e/log_tools.test.mjs    (after `npm run build` and the C++ build)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { apiJson, checkPrerequisites, launchBrowser, makeTmpDir, screenshot, startServer, uploadAndParse } from './harness.mjs';

let server;
let browser;
let context;
let page;
let session;
let tmp;

const line = (ms, dev, sig, value, type = 'Boolean') => {
  const d = new Date(Date.UTC(2025, 8, 22, 13, 0, 0) + ms).toISOString().replace('T', ' ').slice(0, 23);
  return `${d} [Debug] [SYSTEM/LINE1/${dev}] [INPUT:${sig}] (${type}) : ${value}`;
};

// 80 slots of one millisecond each; most slots hold several rows at the same
// time, some of them matches of "JAM" (only signal names hold it), some
// identical. Slot 40 is a run of 250 rows (longer than a page of 200) with
// matches at its positions 10, 205 and 249.
function toolsLog() {
  const lines = [];
  for (let s = 0; s < 80; s++) {
    const ms = s * 10;
    if (s === 40) {
      for (let i = 0; i < 250; i++) {
        if (i === 10 || i === 205 || i === 249) lines.push(line(ms, 'DEV-101', 'I_JAM', i % 2 ? 'ON' : 'OFF'));
        else lines.push(line(ms, 'DEV-102', 'I_COUNT', String(i), 'Integer'));
      }
      continue;
    }
    lines.push(line(ms, 'DEV-100', 'I_MOVE_IN', s % 2 ? 'ON' : 'OFF'));
    if (s % 3 === 0) lines.push(line(ms, 'DEV-101', 'I_JAM', 'ON'));
    lines.push(line(ms, 'DEV-102', 'I_MOVE_OUT', 'OFF'));
    if (s % 5 === 0) lines.push(line(ms, 'DEV-101', 'I_JAM', 'ON')); // identical to the one above when s % 15 == 0
    if (s % 7 === 0) lines.push(line(ms, 'DEV-100', 'O_JAM_RESET', 'ON'));
  }
  // Later minutes (for the density strip): matches in minutes 5, 9 and 20, none in 30.
  for (const [min, sec] of [[5, 7], [9, 30], [9, 31], [20, 2], [30, 0]]) {
    const ms = min * 60_000 + sec * 1000;
    lines.push(line(ms, 'DEV-100', 'I_MOVE_IN', 'ON'));
    if (min !== 30) lines.push(line(ms, 'DEV-101', 'I_JAM', sec % 2 ? 'ON' : 'OFF'));
  }
  return lines.join('\n') + '\n';
}

/** Every row of a query, in order (pages of 1000). */
async function apiAll(params = {}) {
  const out = [];
  for (let p = 1; ; p++) {
    const q = new URLSearchParams({ ...params, page: String(p), pageSize: '1000' });
    const r = await apiJson(server.url, `/parse/${session.id}/entries?${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.entries);
    if (out.length >= r.body.total || r.body.entries.length === 0) return out;
  }
}

/** Row indices (in the unfiltered order of `params`) whose signal contains `needle`, case-insensitively. */
async function expectedMatches(needle, params = {}) {
  const rows = await apiAll(params);
  const want = rows.flatMap((e, i) => (e.signalName.toLowerCase().includes(needle.toLowerCase()) ? [i] : []));
  // The server agrees on the count (the search finds the needle in signal names only).
  const r = await apiJson(server.url, `/parse/${session.id}/entries?${new URLSearchParams({ ...params, search: needle, pageSize: '1' })}`);
  assert.equal(r.body.total, want.length, 'server match count');
  return { rows, want };
}

const countText = () => page.textContent('[data-testid=match-count]');

/** Waits until the selected row is `row`, shown inside the grid, and the count reads `label`. */
async function expectSelected(row, label) {
  await page.waitForFunction(
    ({ row, label }) => {
      const grid = document.querySelector('[data-testid=log-grid]');
      const sel = [...document.querySelectorAll('[data-testid=log-grid] .grid-row.selected')];
      const count = document.querySelector('[data-testid=match-count]')?.textContent;
      if (sel.length !== 1 || Number(sel[0].dataset.row) !== row || count !== label) return false;
      const g = grid.getBoundingClientRect();
      const r = sel[0].getBoundingClientRect();
      return r.top >= g.top + 20 && r.bottom <= g.bottom + 1;
    },
    { row, label },
    { timeout: 10_000 },
  ).catch(async (e) => {
    const sel = await page.$$eval('[data-testid=log-grid] .grid-row.selected', (els) => els.map((x) => x.dataset.row));
    await screenshot(page, 'log-tools-failure');
    throw new Error(`expected row ${row} "${label}", have rows ${JSON.stringify(sel)} "${await countText()}": ${e.message}`);
  });
}

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir('plcscope-logtools-e2e-');
  const file = join(tmp, 'log_tools.log');
  writeFileSync(file, toolsLog());
  server = await startServer();
  ({ session } = await uploadAndParse(server.url, file, 'log_tools.log'));
  browser = await launchBrowser();
  // One browser profile (one localStorage) for every page of these tests.
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('next / previous match in Highlight mode', () => {
  let rows;
  let want;

  test('the log has runs of equal times with several matches', async () => {
    ({ rows, want } = await expectedMatches('JAM'));
    assert.ok(want.length > 50, `matches: ${want.length}`);
    const ms = (i) => rows[i].timestamp;
    // Ties: some match shares its time with the next match, and with a non-match row before it.
    assert.ok(want.some((r, k) => k > 0 && ms(want[k - 1]) === ms(r)), 'two matches at one time');
    // Identical entries at one time (same device, signal, value).
    assert.ok(want.some((r, k) => k > 0 && JSON.stringify(rows[want[k - 1]]) === JSON.stringify(rows[r])), 'identical matches');
  });

  test('F3 from no selection goes to the first match, then through every match in order', async () => {
    await page.goto(`${server.url}/?session=${session.id}&view=log&q=JAM&hl=1`);
    await page.waitForSelector('[data-testid=match-nav]');
    const n = want.length;
    await page.waitForFunction((l) => document.querySelector('[data-testid=match-count]')?.textContent === l, `– / ${n}`);
    // Every row is shown (Highlight mode), the count of rows is the session's.
    assert.equal(Number(await page.getAttribute('[data-testid=log-grid]', 'data-total')), rows.length);
    await page.locator('[data-testid=log-grid]').focus();
    await page.keyboard.press('F3');
    await expectSelected(want[0], `1 / ${n}`);
    for (let k = 1; k < n; k++) {
      await page.click('[data-testid=match-next]');
      await expectSelected(want[k], `${k + 1} / ${n}`);
    }
    await screenshot(page, 'log-tools-last-match');
    await page.click('[data-testid=match-next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=toast]')?.textContent === 'No later match.');
    await expectSelected(want[n - 1], `${n} / ${n}`);
  });

  test('Shift+F3 and the ▲ button go back, across the run longer than a page', async () => {
    const n = want.length;
    for (let k = n - 2; k >= 0; k--) {
      if (k % 2) await page.keyboard.press('Shift+F3');
      else await page.click('[data-testid=match-prev]');
      await expectSelected(want[k], `${k + 1} / ${n}`);
    }
    await page.keyboard.press('Shift+F3');
    await page.waitForFunction(() => document.querySelector('[data-testid=toast]')?.textContent === 'No earlier match.');
  });

  test('a clicked row: its k when it is a match, "–" off one, and F3 goes on from it', async () => {
    const n = want.length;
    // A non-match row between two matches of one time.
    const k = want.findIndex((r, i) => i > 2 && r - want[i - 1] > 1 && rows[r].timestamp === rows[want[i - 1]].timestamp);
    assert.ok(k > 2);
    const between = want[k] - 1;
    await page.click('[data-testid=match-next]'); // to match 2 (row near the top), then click a row of the run
    await expectSelected(want[1], `2 / ${n}`);
    // Quick presses each move one match: select the match before the row, then ↓ to the row between.
    for (let i = 2; i < k; i++) await page.click('[data-testid=match-next]');
    await expectSelected(want[k - 1], `${k} / ${n}`);
    await page.locator('[data-testid=log-grid]').focus();
    for (let r = want[k - 1]; r < between; r++) await page.keyboard.press('ArrowDown');
    await expectSelected(between, `– / ${n}`);
    await page.keyboard.press('ArrowDown');
    await expectSelected(want[k], `${k + 1} / ${n}`);
    await page.keyboard.press('ArrowUp');
    await expectSelected(between, `– / ${n}`);
    await page.keyboard.press('F3');
    await expectSelected(want[k], `${k + 1} / ${n}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Shift+F3');
    await expectSelected(want[k - 1], `${k} / ${n}`);
    // A click on a match row shows its k.
    const shown = await page.$$eval('[data-testid=log-grid] .grid-row', (els) => els.map((e) => Number(e.dataset.row)));
    const other = want.findIndex((r) => r !== want[k - 1] && shown.includes(r) && shown.indexOf(r) > 1 && shown.indexOf(r) < shown.length - 2);
    assert.ok(other >= 0, 'a match in view');
    await page.click(`[data-testid=log-grid] .grid-row[data-row="${want[other]}"]`);
    await expectSelected(want[other], `${other + 1} / ${n}`);
    await screenshot(page, 'log-tools-clicked-match');
  });

  test('Enter in the search box: a new search, then next / previous with Shift+Enter', async () => {
    const { want: reset } = await expectedMatches('O_JAM');
    const sel = await page.$eval('[data-testid=log-grid] .grid-row.selected', (e) => Number(e.dataset.row));
    const input = page.locator('[data-testid=search-input]');
    await input.fill('o_jam');
    await input.press('Enter');
    const k = reset.findIndex((r) => r > sel);
    await expectSelected(reset[k], `${k + 1} / ${reset.length}`);
    await input.press('Enter');
    await expectSelected(reset[k + 1], `${k + 2} / ${reset.length}`);
    await input.press('Shift+Enter');
    await expectSelected(reset[k], `${k + 1} / ${reset.length}`);
  });

  test('N and the rows follow the other filters (exclude)', async () => {
    const input = page.locator('[data-testid=search-input]');
    await input.fill('JAM');
    await input.press('Enter');
    await page.locator('[data-testid=exclude-input]').fill('RESET');
    await page.locator('[data-testid=exclude-input]').press('Enter');
    const { rows: kept, want: w } = await expectedMatches('JAM', { exclude: 'RESET' });
    assert.ok(w.length < want.length && kept.length < rows.length);
    await page.waitForFunction((t) => Number(document.querySelector('[data-testid=log-grid]')?.dataset.total) === t, kept.length);
    await page.locator('[data-testid=log-grid]').focus();
    await page.keyboard.press('Escape'); // no selection: F3 starts at the first match
    await page.keyboard.press('F3');
    await expectSelected(w[0], `1 / ${w.length}`);
    for (let k = 1; k < 6; k++) {
      await page.keyboard.press('F3');
      await expectSelected(w[k], `${k + 1} / ${w.length}`);
    }
    await screenshot(page, 'log-tools-exclude');
  });

  test('sorted by another column the buttons wait for a sort by time', async () => {
    await page.click('[data-testid=log-grid] .hcell[data-col=value]');
    await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.textContent === 'sort by time');
    assert.equal(await page.isDisabled('[data-testid=match-next]'), true);
    await page.click('[data-testid=log-grid] .hcell[data-col=time]');
    await page.waitForFunction(() => /\/ \d+$/.test(document.querySelector('[data-testid=match-count]')?.textContent ?? ''));
    assert.equal(await page.isDisabled('[data-testid=match-next]'), false);
  });

  test('Help lists the keys', async () => {
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 890 } }).catch(() => {});
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-dialog]');
    const help = await page.textContent('[data-testid=help-dialog]');
    assert.match(help, /F3 \/ Shift\+F3/);
    assert.match(help, /Enter \/ Shift\+Enter/);
    await page.keyboard.press('Escape');
  });
});

describe('saved filter sets', () => {
  const waitTotal = (p, n) => p.waitForFunction((t) => Number(document.querySelector('[data-testid=log-grid]')?.dataset.total) === t, n, { timeout: 10_000 });
  const openSets = async (p) => {
    await p.click('[data-testid=filter-sets-button]');
    await p.waitForSelector('[data-testid=filter-sets-menu]');
  };
  const setNames = (p) => p.$$eval('[data-testid=filter-set-list] li', (els) => els.map((e) => e.dataset.name));
  let keys;
  let expected;
  let allRows;

  test('the current filters and signal filter are saved under a name', async () => {
    const rows = await apiAll();
    allRows = rows.length;
    const key = (e) => `${e.deviceId}::${e.signalName}`;
    keys = [key(rows.find((e) => e.signalName === 'I_MOVE_IN')), key(rows.find((e) => e.signalName === 'I_MOVE_OUT'))];
    const params = { search: 'I_MOVE', exclude: 'OUT', changedOnly: 'true', type: 'boolean', signals: keys.join(',') };
    const r = await apiJson(server.url, `/parse/${session.id}/entries?${new URLSearchParams({ ...params, pageSize: '1' })}`);
    expected = r.body.total;
    assert.ok(expected > 0 && expected < allRows, `expected ${expected}`);
    const q = new URLSearchParams({ session: session.id, view: 'log', q: 'I_MOVE', ex: 'OUT', chg: '1', type: 'boolean', sig: keys.join(',') });
    await page.goto(`${server.url}/?${q}`);
    await waitTotal(page, expected);
    await openSets(page);
    await page.waitForSelector('text=No saved filter sets in this browser.');
    await page.fill('[data-testid=filter-set-name]', 'Moves in');
    await page.click('[data-testid=filter-set-save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=filter-set-notice]')?.textContent === 'Saved “Moves in”');
    assert.deepEqual(await setNames(page), ['Moves in']);
    const line = await page.textContent('[data-testid=filter-set-list] li');
    assert.match(line, /search “I_MOVE” · exclude “OUT” · boolean · changes only · 2 signals/);
    await screenshot(page, 'log-tools-filter-sets');
  });

  test('applied after the filters changed, and in another page of the same browser', async () => {
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/?session=${session.id}&view=log&sig=`);
    await waitTotal(page, allRows);
    await openSets(page);
    await page.click('[data-testid=filter-set-apply]');
    await waitTotal(page, expected);
    assert.equal(await page.inputValue('[data-testid=search-input]'), 'I_MOVE');
    assert.equal(await page.inputValue('[data-testid=exclude-input]'), 'OUT');
    assert.equal(await page.isChecked('[data-testid=changes-only]'), true);
    assert.equal(await page.inputValue('[data-testid=type-filter]'), 'boolean');
    // The signal filter is the sidebar's: the link holds it.
    await page.waitForFunction((sig) => new URL(location.href).searchParams.get('sig') === sig, keys.join(','));

    const other = await context.newPage();
    await other.goto(`${server.url}/?session=${session.id}&view=log&sig=`);
    await waitTotal(other, allRows);
    await openSets(other);
    assert.deepEqual(await setNames(other), ['Moves in']);
    await other.click('[data-testid=filter-set-apply]');
    await waitTotal(other, expected);
    await other.close();
  });

  test('exported as a file, deleted, imported back; a bad file is refused', async () => {
    await page.goto(`${server.url}/?session=${session.id}&view=log&sig=`);
    await waitTotal(page, allRows);
    await openSets(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=filter-set-export]')]);
    assert.equal(download.suggestedFilename(), 'Moves_in.filters.json');
    const file = join(tmp, 'moves.filters.json');
    await download.saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(json.format, 'plcscope-filter-set');
    assert.equal(json.name, 'Moves in');
    assert.deepEqual(json.signals, keys);
    assert.equal(json.search, 'I_MOVE');
    assert.equal(json.changedOnly, true);

    await page.click('[data-testid=filter-set-delete]');
    await page.waitForSelector('text=No saved filter sets in this browser.');
    // Gone from the browser's storage too.
    await page.reload();
    await waitTotal(page, allRows);
    await openSets(page);
    await page.waitForSelector('text=No saved filter sets in this browser.');

    const bad = join(tmp, 'bad.filters.json');
    writeFileSync(bad, JSON.stringify({ ...json, types: ['bool'] }));
    const [chooser1] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=filter-set-import]')]);
    await chooser1.setFiles(bad);
    await page.waitForFunction(() => document.querySelector('[data-testid=filter-set-notice]')?.textContent === 'bad.filters.json: unknown type “bool”');
    assert.equal(await page.$('[data-testid=filter-set-list]'), null);

    const [chooser2] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=filter-set-import]')]);
    await chooser2.setFiles(file);
    await page.waitForFunction(() => document.querySelector('[data-testid=filter-set-notice]')?.textContent === 'Imported and applied “Moves in”');
    assert.deepEqual(await setNames(page), ['Moves in']);
    await waitTotal(page, expected);
    await screenshot(page, 'log-tools-filter-set-imported');
  });
});

describe('match-density strip', () => {
  test('a tick per minute with a match, at its time; a click selects that minute\'s first match', async () => {
    const { rows, want } = await expectedMatches('JAM');
    const status = await apiJson(server.url, `/parse/${session.id}/status`);
    const { startTime, endTime } = status.body;
    const minuteOf = (i) => Math.floor(Date.parse(rows[i].timestamp) / 60_000);
    const firsts = [];
    for (const [k, r] of want.entries()) if (k === 0 || minuteOf(r) !== minuteOf(want[k - 1])) firsts.push(k);
    assert.equal(firsts.length, 4, 'minutes with a match');
    await page.goto(`${server.url}/?session=${session.id}&view=log&q=JAM&hl=1&sig=`);
    await page.waitForSelector('[data-testid=match-strip][data-ticks]');
    const height = await page.$eval('[data-testid=match-strip]', (e) => e.clientHeight);
    assert.ok(height > 300, `strip height ${height}`);
    const ys = await page.$$eval('[data-testid=match-strip] .match-tick', (els) => els.map((e) => Number(e.dataset.y)));
    // The minute items' ts is their first match's time.
    const wantYs = firsts.map((k) => Math.min(height - 1, Math.floor(((Date.parse(rows[want[k]].timestamp) - startTime) / (endTime - startTime)) * height)));
    assert.deepEqual(ys, [...new Set(wantYs)]);
    await screenshot(page, 'log-tools-density-strip');
    // Click the tick of minute 9 (the third): its first match is selected.
    const box = await page.locator('[data-testid=match-strip]').boundingBox();
    const n = want.length;
    await page.mouse.click(box.x + box.width / 2, box.y + wantYs[2] + 1);
    await expectSelected(want[firsts[2]], `${firsts[2] + 1} / ${n}`);
    await page.mouse.click(box.x + box.width / 2, box.y + wantYs[3] + 1);
    await expectSelected(want[firsts[3]], `${firsts[3] + 1} / ${n}`);
    // Below the last tick: no later match.
    await page.mouse.click(box.x + box.width / 2, box.y + height - 2);
    await page.waitForFunction(() => /^No later match\./.test(document.querySelector('[data-testid=toast]')?.textContent ?? ''));
    await expectSelected(want[firsts[3]], `${firsts[3] + 1} / ${n}`);
  });
});
