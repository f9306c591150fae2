// Browser tests of the flows of the workspace, on the demo the server opens
// at startup: the first screen, table → diagram sync, lanes apart from the
// table's filter, the map coloured at once after Load map / Upload rules,
// history steps and view state in the URL, the small defects of the
// toolbars; and the Workspace view (the diagram over the table, split by a
// drag handle): both shown and synced both ways, the handle and its ratio in
// the address, the table hover line, the focused lane across view switches,
// bookmark names at fit-all. Each test opens its own browser context (fresh
// localStorage) unless it says otherwise.
//
//   node --test e2e/workspace.test.mjs   (needs build/src/app/plcscope and web/dist)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiJson, checkPrerequisites, launchBrowser, makeTmpDir, repoDir, screenshot, startServer, uploadAndParse } from './harness.mjs';

let server;
let browser;
let sid;
let start;
let total;
let tmp;
const contexts = [];

/** ms since the epoch of 2025-09-22 HH:MM:SS.mmm (the demo's day). */
function at(hms) {
  const [h, m, s] = hms.split(':');
  return Date.UTC(2025, 8, 22, Number(h), Number(m), Math.floor(Number(s)), Math.round((Number(s) % 1) * 1000));
}

/** "2025-09-22 13:05:00.005" (the table's time) → ms. */
const tableMs = (text) => Date.parse(`${text.trim().replace(' ', 'T')}Z`);

async function newPage(width = 1440) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  return page;
}

async function eventually(page, fn, timeout = 10_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() - t0 > timeout) throw e;
      await page.waitForTimeout(50);
    }
  }
}

const loadedRows = (page) => page.waitForSelector('[data-testid=log-grid] .grid-row:not(.placeholder)', { timeout: 15_000 });
const activeView = (page) => page.$eval('[role=tab][aria-selected=true]', (e) => e.dataset.tab);
const timing = (page) => page.evaluate(() => {
  const c = globalThis.__plcscopeTiming;
  return c ? { view: { ...c.view }, cursor: c.cursor } : null;
});
const selectedRows = (page) => page.$$eval('[data-testid=log-grid] .grid-row.selected', (els) => els.map((e) => ({ row: Number(e.dataset.row), time: e.querySelector('.c-time')?.textContent ?? '' })));
const unitFill = (page, unit) => page.evaluate((u) => document.querySelector(`g[data-unit="${u}"] rect`)?.style.fill ?? null, unit);

async function seekMap(page, ms) {
  await page.$eval(
    '[data-testid=mv-slider]',
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    ms,
  );
}

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir('plcscope-workspace-e2e-');
  // An empty data dir: the server opens demo/demo.log and seeds the map defaults from demo/.
  server = await startServer();
  const health = await apiJson(server.url, '/health');
  sid = health.body.startupSessionId;
  assert.ok(sid, 'the server reports its startup session');
  for (let i = 0; i < 300; i++) {
    const st = await apiJson(server.url, `/parse/${sid}/status`);
    if (st.body.status === 'complete') {
      start = st.body.startTime;
      total = st.body.entryCount;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(total > 0, 'the demo is parsed');
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the first screen', () => {
  test('/ lands in the startup session, the diagram has starter lanes, the map shows the demo layout', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => /demo\.log/.test(document.querySelector('[data-testid=session-name]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.doesNotMatch(await page.textContent('[data-testid=session-name]'), /No session loaded/);
    await eventually(page, async () => assert.match(page.url(), new RegExp(`session=${sid}`)));
    // The first screen is the Workspace: the diagram over the table.
    assert.equal(await activeView(page), 'workspace');
    await page.waitForSelector('[data-testid=workspace] [data-testid=lane-name]', { timeout: 10_000 });
    await loadedRows(page);
    await screenshot(page, 'workspace-first-screen');

    await page.click('[data-tab=timing]');
    await page.waitForSelector('[data-testid=lane-name]', { timeout: 10_000 });
    await page.waitForFunction(() => globalThis.__plcscopeTiming && !globalThis.__plcscopeTiming.cache.loading());
    const lanes = await page.$$eval('[data-testid=lane-name]', (els) => els.map((e) => e.dataset.key));
    assert.ok(lanes.length >= 3 && lanes.length <= 8, `a few starter lanes: ${lanes.join(', ')}`);
    assert.ok(lanes.includes('B1ACNV13301-104::I_ERROR'), `the belt that faults is a lane: ${lanes.join(', ')}`);
    assert.equal(await page.locator('.tl-empty').count(), 0);
    await screenshot(page, 'workspace-first-timing');

    // The log table is not filtered by the lanes.
    await page.click('[data-tab=log]');
    await loadedRows(page);
    await eventually(page, async () => assert.equal(await page.textContent('[data-testid=row-count]'), `${total.toLocaleString('en-US')} rows`));

    await page.click('[data-tab=map]');
    await page.waitForSelector('g[data-unit="B1ACNV13301-104"] rect', { timeout: 10_000 });
    assert.equal(await page.locator('.mv-empty').count(), 0);
    assert.ok((await page.locator('g[data-unit]').count()) >= 10);
    // The demo's carriers, with no upload: the server opened demo_carriers.mcs.log with the demo.
    await page.waitForFunction(() => /complete/.test(document.querySelector('[data-testid=mv-carrier-status]')?.textContent ?? ''), null, { timeout: 20_000 });
    assert.match(await page.textContent('[data-testid=mv-carrier-status]'), /demo_carriers\.mcs\.log/);
    await seekMap(page, at('13:05:20.000') - start);
    await page.waitForSelector('[data-badge]', { timeout: 10_000 });
    await screenshot(page, 'workspace-first-map');
    // One toolbar line at 1440 px.
    const bar = await page.$eval('.mv-toolbar', (e) => e.getBoundingClientRect().height);
    assert.ok(bar < 45, `map toolbar ${bar} px high`);
  });
});

describe('table → diagram sync', () => {
  test('End and Jump to time move the diagram cursor to the new selection at once', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    await page.click('[data-testid=log-grid] .grid-row[data-row="0"]');
    await page.keyboard.press('End');
    await eventually(page, async () => assert.equal((await selectedRows(page))[0]?.row, total - 1));
    const last = await apiJson(server.url, `/parse/${sid}/entries?page=${total}&pageSize=1`);
    const lastMs = Date.parse(last.body.entries[0].timestamp);
    await page.click('[data-tab=timing]');
    await eventually(page, async () => assert.equal((await timing(page))?.cursor, lastMs));

    await page.click('[data-tab=log]');
    await loadedRows(page);
    await page.keyboard.press('Control+Shift+G');
    await page.fill('[data-testid=jump-input]', '13:05:00.000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=jump-dialog]', { state: 'detached' });
    const sel = await eventually(page, async () => {
      const s = await selectedRows(page);
      assert.equal(s.length, 1);
      assert.ok(s[0].time && tableMs(s[0].time) >= at('13:05:00.000'), `selected ${s[0].time}`);
      return s[0];
    });
    await page.click('[data-tab=timing]');
    await eventually(page, async () => assert.equal((await timing(page))?.cursor, tableMs(sel.time)));
    await screenshot(page, 'workspace-sync-jump');
  });
});

describe('lanes and the table filter', () => {
  test('"Add signals … to the Timing Diagram" adds lanes and leaves the table unfiltered', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    const all = `${total.toLocaleString('en-US')} rows`;
    await eventually(page, async () => assert.equal(await page.textContent('[data-testid=row-count]'), all));
    const row = page.locator('[data-testid=log-grid] .grid-row[data-row="5"]');
    const key = `${await row.locator('.c-device').textContent()}::${await row.locator('.c-signal').textContent()}`;
    await row.click();
    await row.click({ button: 'right' });
    await page.click('[data-testid=context-menu] >> text=/Add signals of 1 row/');
    await page.waitForSelector('[data-testid=toast]');
    await page.waitForTimeout(500);
    assert.equal(await page.textContent('[data-testid=row-count]'), all);
    assert.equal(await page.$eval('[data-testid=signal-sidebar] .count', (e) => e.textContent.trim().split(' ')[0]), '0');
    await page.click('[data-tab=timing]');
    await page.waitForSelector(`[data-testid=lane-name][data-key="${key}"]`);
    await screenshot(page, 'workspace-added-lane');
  });
});

describe('map colours at once', () => {
  test('Load map and Upload rules at a playback instant colour the units for that instant', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=map`);
    await page.waitForSelector('[data-testid=mv-slider]');
    await seekMap(page, at('13:05:20.000') - start);
    await eventually(page, async () => assert.match(await page.textContent('[data-testid=mv-time]'), /13:05:20\.000/));
    await page.waitForFunction(() => document.querySelector('[aria-label="Default maps"]')?.value === 'demo_layout');
    await page.click('[data-testid=mv-load-default]');
    await page.waitForSelector('g[data-unit="B1ACNV13301-104"] rect');
    await eventually(page, async () => assert.equal(await unitFill(page, 'B1ACNV13301-104'), 'rgb(255, 68, 68)'));
    await screenshot(page, 'workspace-map-load');

    // Other rules for the same instant: an error is now green (a made-up colour, to see the change).
    const rules = readFileSync(join(repoDir, 'demo', 'rules.yaml'), 'utf8').replace(/color: "#FF4444"\n {4}text: ERR\n/, 'color: "#00AA00"\n    text: ERR\n');
    assert.notEqual(rules, readFileSync(join(repoDir, 'demo', 'rules.yaml'), 'utf8'));
    const file = join(tmp, 'green_errors.yaml');
    writeFileSync(file, rules);
    const chooser = page.waitForEvent('filechooser');
    await page.click('text=Upload rules…');
    await (await chooser).setFiles(file);
    await eventually(page, async () => assert.equal(await unitFill(page, 'B1ACNV13301-104'), 'rgb(0, 170, 0)'));
    assert.match(await page.textContent('[data-testid=mv-time]'), /13:05:20\.000/);
    await screenshot(page, 'workspace-map-rules');
  });
});

describe('history and links', () => {
  test('view switches are history steps: Back and Forward walk through them inside the app', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    await page.click('[data-tab=timing]');
    await page.click('[data-tab=map]');
    await page.goBack();
    await eventually(page, async () => assert.equal(await activeView(page), 'timing'));
    await page.goBack();
    await eventually(page, async () => assert.equal(await activeView(page), 'log'));
    await page.goForward();
    await eventually(page, async () => assert.equal(await activeView(page), 'timing'));
    assert.match(page.url(), new RegExp(`session=${sid}`));
  });

  test('reload and a copied link keep the filters, selection, time window and cursor', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    await page.fill('[data-testid=search-input]', 'I_ERROR');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => / of /.test(document.querySelector('[data-testid=row-count]')?.textContent ?? ''));
    await loadedRows(page);
    const count = await page.textContent('[data-testid=row-count]');
    await page.click('[data-testid=log-grid] .grid-row[data-row="3"]');
    await page.click('[data-tab=timing]');
    await page.waitForSelector('[data-testid=timing-canvas]');
    await page.evaluate(({ a, b }) => globalThis.__plcscopeTiming.setView({ start: a, end: b }), { a: at('13:04:50.000'), b: at('13:05:30.000') });
    await page.evaluate((t) => globalThis.__plcscopeTiming.setCursor(t, false), at('13:05:10.250'));
    await eventually(page, async () => {
      const u = new URL(page.url());
      assert.equal(u.searchParams.get('t0'), String(at('13:04:50.000')));
      assert.equal(u.searchParams.get('cur'), String(at('13:05:10.250')));
      assert.equal(u.searchParams.get('q'), 'I_ERROR');
      assert.equal(u.searchParams.get('row'), '3');
    });
    const link = page.url();

    const check = async (p, what) => {
      await p.waitForSelector('[data-testid=timing-canvas]');
      assert.equal(await activeView(p), 'timing', what);
      await eventually(p, async () => {
        const s = await timing(p);
        assert.deepEqual(s?.view, { start: at('13:04:50.000'), end: at('13:05:30.000') }, `${what}: window`);
        assert.equal(s?.cursor, at('13:05:10.250'), `${what}: cursor`);
      });
      await screenshot(p, `workspace-${what}-timing`);
      await p.click('[data-tab=log]');
      await loadedRows(p);
      assert.equal(await p.inputValue('[data-testid=search-input]'), 'I_ERROR', `${what}: search`);
      await eventually(p, async () => assert.equal(await p.textContent('[data-testid=row-count]'), count));
      await eventually(p, async () => assert.deepEqual((await selectedRows(p)).map((r) => r.row), [3], `${what}: selection`));
      await screenshot(p, `workspace-${what}-log`);
    };
    await page.reload();
    await check(page, 'reload');
    const fresh = await newPage();
    await fresh.goto(link);
    await check(fresh, 'link');
  });
});

describe('small defects', () => {
  // Lanes of every type the demo has, chosen here (not the starter lanes).
  const kLanes = ['B1ACNV13301-104::I_ERROR', 'B1ACNV13301-104::STATE', 'LC-01::ALARM_CODE', 'B1ACNV13301-101::MOTOR_CURRENT'];

  test('the drop zone advertises only formats that open (no "JSON lines")', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=home`);
    const text = await page.textContent('[data-testid=drop-zone]');
    assert.doesNotMatch(text, /JSON/i);
    assert.match(text, /CSV/);
    assert.equal(await page.getAttribute('[data-testid=file-input]', 'accept'), null);
  });

  const timingWith = async (width) => {
    const page = await newPage(width);
    await page.goto(`${server.url}/?session=${sid}&view=timing`);
    await page.waitForSelector('[data-testid=timing-canvas]');
    await page.evaluate((keys) => globalThis.__plcscopeTimingSelect(keys), kLanes);
    await page.waitForSelector('[data-testid=lane-name]');
    return page;
  };

  test('lane type tags are whole words', async () => {
    const page = await timingWith(1280);
    const tags = await page.$$eval('[data-testid=lane-name] .type-tag', (els) => els.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth })));
    assert.ok(tags.length > 0);
    for (const t of tags) {
      assert.ok(['bool', 'int', 'float', 'str'].includes(t.text), `type tag "${t.text}"`);
      assert.equal(t.cut, false, `type tag "${t.text}" is not cut`);
    }
  });

  test('the measure readout neither wraps the timing toolbar nor moves the plot', async () => {
    for (const width of [1280, 1440, 1600, 1920]) {
      const page = await timingWith(width);
      const boxes = () => page.evaluate(() => ({
        toolbar: document.querySelector('[data-testid=timing-toolbar]').getBoundingClientRect().height,
        plot: document.querySelector('[data-testid=timing-canvas]').getBoundingClientRect().top,
      }));
      const before = await boxes();
      const plot = await page.$eval('[data-testid=timing-canvas]', (e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y };
      });
      await page.keyboard.down('Shift');
      await page.mouse.move(plot.x + 200, plot.y + 40);
      await page.mouse.down();
      await page.mouse.move(plot.x + 300, plot.y + 40, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await page.waitForSelector('[data-testid=measure-readout]');
      assert.deepEqual(await boxes(), before, `at ${width} px`);
      await screenshot(page, `workspace-measure-${width}`);
      await page.context().close();
    }
  });

  test('a value search with no hit is a notice, not an error', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=timing`);
    await page.waitForSelector('[data-testid=timing-canvas]');
    await page.evaluate((keys) => globalThis.__plcscopeTimingSelect(keys), kLanes);
    await page.click('[data-testid=lane-name][data-key="B1ACNV13301-104::STATE"]');
    await page.fill('[data-testid=value-search]', 'NO_SUCH_STATE');
    await page.click('[data-testid=value-next]');
    await page.waitForSelector('[data-testid=timing-notice]');
    assert.match(await page.textContent('[data-testid=timing-notice]'), /No change to "NO_SUCH_STATE" found/);
    assert.equal(await page.locator('[data-testid=error-banner]').count(), 0);
    await screenshot(page, 'workspace-value-notice');
  });

  test('a bad regex says so once, not also "No rows match"; the map toolbar shows no frame times', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    await page.click('[data-testid=regex-toggle]');
    await page.fill('[data-testid=search-input]', 'STATE([');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=search-error]');
    await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent?.startsWith('0'));
    assert.equal(await page.locator('.grid-empty', { hasText: 'No rows match' }).count(), 0);
    await screenshot(page, 'workspace-bad-regex');

    await page.click('[data-tab=map]');
    await page.waitForSelector('g[data-unit="B1ACNV13301-104"] rect');
    await page.waitForTimeout(500);
    assert.doesNotMatch(await page.textContent('.mv-toolbar'), /frame|p95|\bms\b/);
  });

  test('renaming or deleting the open file updates the header and card; an empty file says so', async () => {
    const small = join(tmp, 'open-me.log');
    writeFileSync(small, readFileSync(join(repoDir, 'demo', 'demo.log'), 'utf8').split('\n').slice(0, 20).join('\n') + '\n');
    const { session } = await uploadAndParse(server.url, small, 'open-me.log');
    const page = await newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/?session=${session.id}&view=home`);
    await page.waitForFunction(() => /open-me\.log/.test(document.querySelector('[data-testid=session-name]')?.textContent ?? ''));
    const row = page.locator('[data-testid=recent-row]', { hasText: 'open-me.log' }).first();
    await row.locator('button', { hasText: 'Rename' }).click();
    await page.fill('[data-testid=recent-row] td.fname input[type=text]', 'renamed-open.log');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /renamed-open\.log/.test(document.querySelector('[data-testid=session-name]')?.textContent ?? ''));
    assert.match(await page.textContent('[data-testid=session-card]'), /renamed-open\.log/);
    await page.locator('[data-testid=recent-row]', { hasText: 'renamed-open.log' }).first().locator('button', { hasText: 'Delete' }).click();
    await page.waitForFunction(() => /No session loaded/.test(document.querySelector('[data-testid=session-name]')?.textContent ?? ''));
    assert.equal(await page.locator('[data-testid=session-card]', { hasText: 'renamed-open.log' }).count(), 0);

    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const e = await uploadAndParse(server.url, empty, 'empty.log');
    await page.goto(`${server.url}/?session=${e.session.id}&view=home`);
    await page.waitForSelector('[data-testid=session-empty]');
    assert.match(await page.textContent('[data-testid=session-empty]'), /The file is empty/);
    await screenshot(page, 'workspace-empty-file');
  });

  test('the category popover lines its checkboxes up', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=log`);
    await loadedRows(page);
    await page.click('[data-testid=category-button]');
    await page.waitForSelector('[data-testid=category-popover] .check-row input');
    const boxes = await page.$$eval('[data-testid=category-popover] .check-row input', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), w: Math.round(r.width) })));
    assert.ok(boxes.length >= 2);
    for (const b of boxes) {
      assert.equal(b.x, boxes[0].x);
      assert.ok(b.w <= 20, `a checkbox ${b.w} px wide`);
    }
    await screenshot(page, 'workspace-category-popover');
  });
});

describe('the Workspace: the diagram over the table', () => {
  const box = (page, sel) => page.$eval(sel, (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  const splitParam = (page) => new URL(page.url()).searchParams.get('split');
  const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const idle = async (page) => {
    await page.waitForFunction(() => globalThis.__plcscopeTiming && !globalThis.__plcscopeTiming.cache.loading());
    await frames(page);
  };
  /** Pixels of the plot column at time t (CSS x) drawn in rgb, counted over the canvas height. */
  const columnPixels = (page, t, rgb) => page.evaluate(([t, rgb]) => {
    const ctl = globalThis.__plcscopeTiming;
    const c = document.querySelector('[data-testid=timing-canvas]');
    const dpr = window.devicePixelRatio || 1;
    const x = Math.round(((t - ctl.view.start) / (ctl.view.end - ctl.view.start)) * c.clientWidth);
    const img = c.getContext('2d').getImageData(Math.floor(x * dpr), 0, Math.ceil(2 * dpr), c.height).data;
    let n = 0;
    for (let i = 0; i < img.length; i += 4) if (Math.abs(img[i] - rgb[0]) < 40 && Math.abs(img[i + 1] - rgb[1]) < 40 && Math.abs(img[i + 2] - rgb[2]) < 40) n++;
    return n;
  }, [t, rgb]);

  test('shows the diagram on top and the table below, both live, at 1440 × 900', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}`);
    await page.waitForSelector('[data-testid=workspace] [data-testid=lane-name]', { timeout: 10_000 });
    await loadedRows(page);
    await idle(page);
    assert.equal(await activeView(page), 'workspace');
    await eventually(page, async () => {
      assert.equal(new URL(page.url()).searchParams.get('view'), 'workspace');
      assert.ok(splitParam(page), 'the ratio is in the address');
    });
    const top = await box(page, '[data-testid=split-top]');
    const handle = await box(page, '[data-testid=split-handle]');
    const bottom = await box(page, '[data-testid=split-bottom]');
    const plot = await box(page, '[data-testid=split-top] [data-testid=timing-canvas]');
    const grid = await box(page, '[data-testid=split-bottom] [data-testid=log-grid]');
    assert.ok(top.y + top.height <= handle.y + 0.5 && handle.y + handle.height <= bottom.y + 0.5, 'diagram, handle, table from top to bottom');
    assert.ok(bottom.y + bottom.height <= 900.5, 'the table ends on the screen');
    assert.ok(plot.height >= 180, `plot ${plot.height} px high`);
    assert.ok(grid.height >= 200, `grid ${grid.height} px high`);
    const lanes = await page.locator('[data-testid=lane-name]').count();
    assert.ok(lanes >= 3, `${lanes} lanes`);
    const rows = await page.locator('[data-testid=log-grid] .grid-row:not(.placeholder)').count();
    assert.ok(rows >= 8, `${rows} rows shown`);
    assert.ok((await (await box(page, '[data-testid=log-grid] .grid-row[data-row="0"]')).y) < bottom.y + bottom.height);
    await screenshot(page, 'workspace-split');
  });

  test('dragging the handle resizes the panes; the ratio survives reload; Back and Forward walk through mode switches', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=workspace&split=0.5`);
    await page.waitForSelector('[data-testid=workspace] [data-testid=timing-canvas]');
    await loadedRows(page);
    const before = await box(page, '[data-testid=split-top]');
    const plotBefore = await box(page, '[data-testid=timing-canvas]');
    const h = await box(page, '[data-testid=split-handle]');
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2 + 120, { steps: 6 });
    await page.mouse.up();
    await frames(page);
    const after = await box(page, '[data-testid=split-top]');
    assert.ok(Math.abs(after.height - before.height - 120) <= 2, `top pane ${before.height} → ${after.height}`);
    await eventually(page, async () => assert.ok((await box(page, '[data-testid=timing-canvas]')).height > plotBefore.height + 100, 'the plot grows with its pane'));
    // The top pane is ratio × (height − handle), at 0.5 its half: 120 px more is 120 / (2 × before) more.
    const ratio = await eventually(page, async () => {
      const r = splitParam(page);
      assert.ok(Math.abs(Number(r) - 0.5 - 120 / (before.height * 2)) < 0.01, `split=${r}`);
      return r;
    });
    await screenshot(page, 'workspace-split-dragged');

    await page.reload();
    await page.waitForSelector('[data-testid=workspace] [data-testid=timing-canvas]');
    await loadedRows(page);
    assert.equal(splitParam(page), ratio);
    assert.ok(Math.abs((await box(page, '[data-testid=split-top]')).height - after.height) <= 1, 'the same split after reload');

    // Far up: the diagram keeps its shortest height.
    const h2 = await box(page, '[data-testid=split-handle]');
    await page.mouse.move(h2.x + 100, h2.y + 3);
    await page.mouse.down();
    await page.mouse.move(h2.x + 100, 10, { steps: 4 });
    await page.mouse.up();
    assert.ok((await box(page, '[data-testid=split-top]')).height >= 199, 'the diagram pane keeps 200 px');

    // Mode switches are history steps.
    await page.click('[data-tab=timing]');
    await page.waitForSelector('[data-testid=timing-canvas]');
    assert.equal(await page.locator('[data-testid=log-grid]').count(), 0, 'the Timing tab shows the diagram alone');
    await page.click('[data-tab=workspace]');
    await page.waitForSelector('[data-testid=workspace] [data-testid=log-grid]');
    await page.click('[data-tab=log]');
    await page.goBack();
    await eventually(page, async () => assert.equal(await activeView(page), 'workspace'));
    await page.waitForSelector('[data-testid=workspace] [data-testid=log-grid]');
    await page.goBack();
    await eventually(page, async () => assert.equal(await activeView(page), 'timing'));
    await page.goForward();
    await eventually(page, async () => assert.equal(await activeView(page), 'workspace'));
    await page.goForward();
    await eventually(page, async () => assert.equal(await activeView(page), 'log'));
  });

  test('a row click moves the diagram cursor, a diagram click selects the row', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=workspace`);
    await loadedRows(page);
    await page.waitForSelector('[data-testid=workspace] [data-testid=lane-name]');
    await idle(page);
    const row = page.locator('[data-testid=log-grid] .grid-row[data-row="6"]');
    const rowMs = tableMs(await row.locator('.c-time').textContent());
    await row.click();
    await eventually(page, async () => assert.equal((await timing(page))?.cursor, rowMs));
    const t = await timing(page);
    assert.ok(t.view.start <= rowMs && rowMs <= t.view.end, 'the cursor is in view');
    await screenshot(page, 'workspace-row-to-cursor');

    // A click in the plot, a little right of the middle, on the first lane.
    const plot = await box(page, '[data-testid=timing-canvas]');
    const lane = await box(page, '[data-testid=lane-name]');
    await page.mouse.click(plot.x + plot.width * 0.55, lane.y + lane.height / 2);
    const clicked = await eventually(page, async () => {
      const c = (await timing(page))?.cursor;
      assert.ok(c !== rowMs && c !== null && c !== undefined, 'the click moved the cursor');
      return c;
    });
    const { body } = await apiJson(server.url, `/parse/${sid}/index-of-time?ts=${Math.ceil(clicked)}`);
    assert.ok(body.index > 6, `row ${body.index}`);
    const sel = await eventually(page, async () => {
      const s = await selectedRows(page);
      assert.deepEqual(s.map((r) => r.row), [body.index]);
      return s[0];
    });
    assert.ok(tableMs(sel.time) >= clicked, `row ${sel.time} at or after the click`);
    // The diagram's cursor stays where it was clicked (the followed row does not pull it to its own time).
    await page.waitForTimeout(400);
    assert.equal((await timing(page))?.cursor, clicked);
    // The selected row is on screen in the table under the diagram.
    const selBox = await box(page, '[data-testid=log-grid] .grid-row.selected');
    const grid = await box(page, '[data-testid=log-grid]');
    assert.ok(selBox.y >= grid.y && selBox.y + selBox.height <= grid.y + grid.height, 'the row is scrolled into view');
    await screenshot(page, 'workspace-cursor-to-row');
  });

  test("a table hover draws the hover line at the row's time, until the mouse leaves the table", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=workspace`);
    await loadedRows(page);
    await page.waitForSelector('[data-testid=workspace] [data-testid=lane-name]');
    await idle(page);
    // A row in the middle of the session.
    await page.$eval('[data-testid=log-grid]', (el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    const mid = Math.round(total / 2);
    const row = page.locator(`[data-testid=log-grid] .grid-row[data-row="${mid}"]:not(.placeholder)`);
    await row.waitFor({ timeout: 10_000 });
    const rowMs = tableMs(await row.locator('.c-time').textContent());
    // The hover line's colour (light theme, colors.ts syncHover #c2185b).
    const pink = [0xc2, 0x18, 0x5b];
    const none = await columnPixels(page, rowMs, pink);
    await row.hover();
    await eventually(page, async () => assert.equal(await page.evaluate(() => globalThis.__plcscopeTiming.syncHover), rowMs));
    await frames(page);
    const drawn = await columnPixels(page, rowMs, pink);
    assert.ok(drawn > none + 40, `hover line pixels at the row's time: ${none} → ${drawn}`);
    await screenshot(page, 'workspace-hover-line');
    // Off the table: the line goes.
    await page.mouse.move(5, 5);
    await eventually(page, async () => assert.equal(await page.evaluate(() => globalThis.__plcscopeTiming.syncHover), null));
    await frames(page);
    assert.ok((await columnPixels(page, rowMs, pink)) <= none + 5, 'no hover line once the mouse left the table');
  });

  test('the focused lane survives view switches and a reload; N steps to its next change', async () => {
    const key = 'B1ACNV13301-104::STATE';
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=timing`);
    await page.waitForSelector(`[data-testid=lane-name][data-key="${key}"]`, { timeout: 10_000 });
    await page.click(`[data-testid=lane-name][data-key="${key}"]`);
    await eventually(page, async () => assert.equal(new URL(page.url()).searchParams.get('lane'), key));
    await page.click('[data-tab=log]');
    await loadedRows(page);
    await page.reload();
    await loadedRows(page);
    await page.click('[data-tab=timing]');
    await page.waitForSelector(`[data-testid=lane-name][data-key="${key}"]`);
    assert.equal(await page.evaluate(() => globalThis.__plcscopeTiming.focusSig.value), key, 'focused after a reload on the Log Table');
    await page.click('[data-tab=workspace]');
    await page.waitForSelector(`[data-testid=workspace] [data-testid=lane-name][data-key="${key}"]`);
    assert.equal(await page.evaluate(() => globalThis.__plcscopeTiming.focusSig.value), key, 'focused in the Workspace');
    assert.equal(await page.locator(`[data-testid=lane-name][data-key="${key}"].focused`).count(), 1, 'the lane is shown focused');
    // The next change of B1ACNV13301-104::STATE after 13:02:00.000, from the rows themselves.
    const { body } = await apiJson(server.url, `/parse/${sid}/entries?signals=${encodeURIComponent(key)}&page=1&pageSize=5000`);
    const from = at('13:02:00.000');
    let prev = null;
    let next = null;
    for (const e of body.entries) {
      const ms = Date.parse(e.timestamp);
      if (ms > from && prev !== null && String(e.value) !== prev) {
        next = ms;
        break;
      }
      prev = String(e.value);
    }
    assert.ok(next, 'the demo has a STATE change after 13:02');
    await page.fill('[data-testid=goto-time]', '13:02:00.000');
    await page.keyboard.press('Enter');
    await eventually(page, async () => assert.equal((await timing(page))?.cursor, from));
    await page.click('[data-tab=workspace]'); // out of the time box, as a user would
    await page.keyboard.press('n');
    await eventually(page, async () => assert.equal((await timing(page))?.cursor, next));
    assert.equal(await page.locator('[data-testid=error-banner]').count(), 0);
    await screenshot(page, 'workspace-focused-lane-next');
  });

  test('bookmark names do not overlap at fit-all; each full name shows on hover', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?session=${sid}&view=timing`);
    await page.waitForSelector('[data-testid=lane-name]', { timeout: 10_000 });
    // Five bookmarks a few seconds apart (a few px apart at fit-all of the demo's 10 minutes).
    const times = ['13:05:00.000', '13:05:03.000', '13:05:09.000', '13:05:20.000', '13:08:00.000'];
    for (const hms of times) {
      await page.fill('[data-testid=goto-time]', hms);
      await page.keyboard.press('Enter');
      await eventually(page, async () => assert.equal((await timing(page))?.cursor, at(hms)));
      await page.locator('.tl-body').focus();
      await page.keyboard.press('Control+b');
    }
    await page.click('[data-testid=fit-all]');
    await idle(page);
    const labels = await eventually(page, async () => {
      const l = await page.evaluate(() => globalThis.__plcscopeTiming.flagLabels.map((f) => ({ ...f })));
      assert.equal(l.length, times.length);
      return l;
    });
    const shown = labels.filter((l) => l.width > 0).sort((a, b) => a.left - b.left);
    assert.ok(shown.length >= 2, `${shown.length} names drawn`);
    for (let i = 0; i + 1 < shown.length; i++) {
      assert.ok(shown[i].left + shown[i].width <= shown[i + 1].left, `"${shown[i].text}" overlaps "${shown[i + 1].text}"`);
    }
    const sorted = [...labels].sort((a, b) => a.x - b.x);
    for (let i = 0; i + 1 < sorted.length; i++) {
      if (sorted[i].width > 0) assert.ok(sorted[i].left + sorted[i].width <= sorted[i + 1].x, `"${sorted[i].text}" runs into the next flag`);
    }
    assert.ok(labels.some((l) => l.text !== l.name), 'close flags have their names cut or hidden');
    const axis = await box(page, '[data-testid=timing-axis]');
    for (const l of sorted) {
      await page.mouse.move(axis.x + l.x, axis.y + 6);
      await eventually(page, async () => assert.match(await page.textContent('[data-testid=bookmark-tip]'), new RegExp(l.name)));
    }
    await page.mouse.move(axis.x + sorted[0].x, axis.y + 6);
    await page.waitForSelector('[data-testid=bookmark-tip]');
    await screenshot(page, 'workspace-bookmark-labels');
  });
});
