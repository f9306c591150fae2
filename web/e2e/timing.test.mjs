// Browser tests of the Timing Diagram against the real server and Debian's
// Chromium: lanes drawn (checked on the canvas pixels: the one-sample pulse
// is at its x), Ctrl+wheel zoom at the mouse, drag pan, Shift+drag measure,
// cursor snapping, typed-time jump, bookmarks, and Sync with the log table.
// Screenshots go to web/test-results/screenshots/timing-*.png.
//
//   node --test e2e/timing.test.mjs    (after `npm run build` and the C++ build)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { checkPrerequisites, launchBrowser, makeTmpDir, screenshot, startServer, uploadAndParse } from './harness.mjs';
import {
  kCounterKey,
  kModeKey,
  kMotorKey,
  kPulseKey,
  kPulseOn,
  kSpeedKey,
  kStart,
  kStateKey,
  writeTimingFixture,
} from './timing_fixture.mjs';

let server;
let browser;
let page;
let sessionId;
let tmp;

const kLanes = [kMotorKey, kPulseKey, kSpeedKey, kStateKey, kModeKey, kCounterKey];

// ---- helpers running in the page ----

function ctlState() {
  return page.evaluate(() => {
    const c = globalThis.__plcscopeTiming;
    return { view: c.view, width: c.plotWidth(), cursor: c.cursor, hover: c.hoverSig.peek(), measure: c.measureSig.peek(), loading: c.cache.loading() };
  });
}

async function xOf(t) {
  const s = await ctlState();
  return ((t - s.view.start) / (s.view.end - s.view.start)) * s.width;
}

// Page coordinates of the plot canvas.
async function plotBox() {
  return page.locator('[data-testid=timing-canvas]').boundingBox();
}

// The lane's vertical extent in canvas CSS pixels.
async function laneBox(key) {
  return page.evaluate((key) => {
    const row = [...document.querySelectorAll('[data-testid=lane-name]')].find((r) => r.dataset.key === key);
    if (!row) return null;
    const body = document.querySelector('.tl-body');
    return { top: row.offsetTop - body.scrollTop, height: row.offsetHeight };
  }, key);
}

// Counts "wave green" pixels in one canvas column inside a lane.
async function greenInColumn(key, x) {
  const lane = await laneBox(key);
  assert.ok(lane, `lane ${key} is shown`);
  return page.evaluate(
    ({ lane, x }) => {
      const c = document.querySelector('[data-testid=timing-canvas]');
      const dpr = c.width / c.clientWidth;
      const ctx = c.getContext('2d');
      // The column of x and its neighbours (an edge is drawn on the nearest pixel).
      let best = 0;
      for (const dx of [-1, 0, 1]) {
        const img = ctx.getImageData(Math.floor(x * dpr) + dx, Math.round(lane.top * dpr), 1, Math.round(lane.height * dpr)).data;
        let n = 0;
        for (let i = 0; i < img.length; i += 4) {
          const [r, g, b] = [img[i], img[i + 1], img[i + 2]];
          if (g > r + 40 && g > b + 20 && g < 200) n++;
        }
        best = Math.max(best, n);
      }
      return { green: best, height: Math.round(lane.height * dpr) };
    },
    { lane, x },
  );
}

async function waitIdle() {
  await page.waitForFunction(() => {
    const c = globalThis.__plcscopeTiming;
    return c && !c.cache.loading();
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function selectSignal(key) {
  const name = key.split('::')[1];
  const search = page.locator('[data-testid=signal-sidebar] input[type=search]');
  await search.fill(name);
  const row = page.locator('[data-testid=signal-sidebar] label.sig-row', { hasText: name }).first();
  await row.locator('input[type=checkbox]').check();
}

// ---- setup ----

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir('plcscope-timing-e2e-');
  const log = writeTimingFixture(join(tmp, 'timing_fixture.log'));
  server = await startServer();
  const { session } = await uploadAndParse(server.url, log, 'timing_fixture.log');
  sessionId = session.id;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}/?session=${sessionId}&lanes=`); // no starter lanes: the tests choose them
  await page.locator('[data-tab=timing]').click();
  await page.waitForSelector('[data-testid=timing-canvas]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---- tests (in order: each builds on the previous state) ----

test('selecting signals in the sidebar draws their lanes; the one-sample pulse is on the canvas at its x', async () => {
  for (const k of kLanes) await selectSignal(k);
  await page.locator('[data-testid=signal-sidebar] input[type=search]').fill('');
  assert.equal(await page.locator('[data-testid=lane-name]').count(), kLanes.length);
  await waitIdle();
  const xp = await xOf(kPulseOn);
  const at = await greenInColumn(kPulseKey, xp);
  assert.ok(at.green >= at.height * 0.4, `pulse column at x=${xp.toFixed(1)} is drawn (${at.green}/${at.height} green px)`);
  for (const dx of [-40, -8, 8, 40]) {
    const off = await greenInColumn(kPulseKey, xp + dx);
    assert.ok(off.green <= 6, `x=${(xp + dx).toFixed(1)} shows only the low line (${off.green} green px)`);
  }
  await screenshot(page, 'timing-lanes-fit');
});

test('Ctrl+wheel zooms at the mouse, keeping the time under it', async () => {
  const box = await plotBox();
  const before = await ctlState();
  const xp = await xOf(kPulseOn);
  const lane = await laneBox(kPulseKey);
  await page.mouse.move(box.x + xp, box.y + lane.top + lane.height / 2);
  await page.keyboard.down('Control');
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await waitIdle();
  const after = await ctlState();
  // The hover line would cover the pixels we read: move the mouse away.
  await page.mouse.move(box.x - 100, box.y + lane.top);
  await waitIdle();
  const spanBefore = before.view.end - before.view.start;
  const spanAfter = after.view.end - after.view.start;
  assert.ok(spanAfter < spanBefore / 20, `zoomed in: ${spanBefore} -> ${spanAfter} ms`);
  const xAfter = await xOf(kPulseOn);
  assert.ok(Math.abs(xAfter - xp) < 3, `the pulse stays under the mouse (${xp.toFixed(1)} -> ${xAfter.toFixed(1)})`);
  await screenshot(page, 'timing-zoomed');
  const at = await greenInColumn(kPulseKey, xAfter);
  assert.ok(at.green >= at.height * 0.4, `the pulse is still drawn after zooming (x=${xAfter.toFixed(1)}: ${at.green}/${at.height} green px, span ${spanAfter} ms)`);
});

test('dragging pans the view', async () => {
  const box = await plotBox();
  const lane = await laneBox(kMotorKey);
  const s0 = await ctlState();
  const msPerPx = (s0.view.end - s0.view.start) / s0.width;
  const y = box.y + lane.top + lane.height / 2;
  await page.mouse.move(box.x + 700, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 700 + i * 20, y);
  await page.mouse.up();
  const s1 = await ctlState();
  const moved = (s0.view.start - s1.view.start) / msPerPx;
  assert.ok(Math.abs(moved - 200) < 2, `panned by 200 px (got ${moved.toFixed(1)})`);
  assert.equal(s1.cursor, s0.cursor, 'a drag does not move the cursor');
});

test('the cursor snaps to the nearest change of the lane under the mouse', async () => {
  await page.locator('[data-testid=fit-all]').click();
  await waitIdle();
  await page.locator('[data-testid=goto-time]').fill('13:30:00.000');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=zoom-in]').click();
  await page.locator('[data-testid=zoom-in]').click();
  await page.locator('[data-testid=zoom-in]').click();
  await waitIdle();
  const box = await plotBox();
  const lane = await laneBox(kMotorKey);
  const motorEdge = kStart + 30 * 60_000 + 10_000; // Motor_Run turns OFF at 13:30:10
  const xe = await xOf(motorEdge);
  await page.mouse.move(box.x + xe + 5, box.y + lane.top + lane.height / 2);
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.hoverSig.peek()?.t === t, motorEdge);
  const s = await ctlState();
  assert.equal(s.hover.snapped, true);
  await page.mouse.click(box.x + xe + 5, box.y + lane.top + lane.height / 2);
  assert.equal((await ctlState()).cursor, motorEdge, 'a click places the cursor on the snapped change');
  const values = await page.locator('[data-testid=lane-value]').allTextContents();
  assert.equal(values.length, kLanes.length);
  await screenshot(page, 'timing-cursor-snap');
});

test('typing a time jumps there and places the cursor', async () => {
  const t = kStart + 45 * 60_000 + 12_345;
  await page.locator('[data-testid=goto-time]').fill('13:45:12.345');
  await page.keyboard.press('Enter');
  const s = await ctlState();
  assert.equal(s.cursor, t);
  assert.ok(s.view.start < t && t < s.view.end, 'the typed time is shown');
  await page.locator('[data-testid=goto-time]').fill('2025-09-22 13:05:00');
  await page.keyboard.press('Enter');
  assert.equal((await ctlState()).cursor, kStart + 5 * 60_000);
  await page.locator('[data-testid=goto-time]').fill('25:00');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.tl-time.invalid').count(), 1, 'a bad time is marked, not jumped to');
});

test('Shift+drag measures a range, counts changes per lane and zooms to it', async () => {
  await page.locator('[data-testid=fit-all]').click();
  await waitIdle();
  const box = await plotBox();
  const lane = await laneBox(kPulseKey);
  const a = kStart + 25 * 60_000;
  const b = kStart + 35 * 60_000;
  const xa = await xOf(a);
  const xb = await xOf(b);
  const y = box.y + lane.top + 4;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + xa, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + xa + ((xb - xa) * i) / 8, y);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const readout = page.locator('[data-testid=measure-readout]');
  await readout.waitFor();
  const m = (await ctlState()).measure;
  assert.ok(Math.abs(m.b - m.a - 600_000) < 10_000, `measured about 10 min (${m.b - m.a} ms)`);
  assert.match(await readout.textContent(), /min/);
  await page.waitForSelector('[data-testid=lane-count]');
  const pulseCount = await page.locator(`[data-testid=lane-value][data-key="${kPulseKey}"] [data-testid=lane-count]`).textContent();
  assert.match(pulseCount, /^2 Δ/, 'the pulse lane changes twice inside the range');
  await screenshot(page, 'timing-measure');
  await page.locator('[data-testid=zoom-measure]').click();
  const s = await ctlState();
  assert.ok(s.view.start <= m.a && s.view.end >= m.b && s.view.end - s.view.start < (m.b - m.a) * 1.1);
  await page.keyboard.press('Escape');
});

test('next change of the focused lane by key', async () => {
  await page.locator('[data-testid=goto-time]').fill('13:29:00');
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid=lane-name][data-key="${kPulseKey}"]`).click();
  await page.locator('.tl-body').focus();
  await page.keyboard.press('n');
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, kPulseOn);
  await page.keyboard.press('n');
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, kPulseOn + 1);
  await page.keyboard.press('Shift+N');
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, kPulseOn);
  await page.locator('[data-testid=value-search]').fill('true');
  await page.locator('[data-testid=goto-time]').fill('13:00:00');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=value-next]').click();
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, kPulseOn);
});

test('bookmarks: Ctrl+B adds, the panel lists, Ctrl+] and Ctrl+[ jump', async () => {
  const t1 = kStart + 10 * 60_000;
  const t2 = kStart + 50 * 60_000;
  for (const t of ['13:10:00', '13:50:00']) {
    await page.locator('[data-testid=goto-time]').fill(t);
    await page.keyboard.press('Enter');
    await page.locator('.tl-body').focus();
    await page.keyboard.press('Control+b');
  }
  await page.keyboard.press('Control+Shift+B');
  await page.locator('[data-testid=bookmark-panel]').waitFor();
  assert.equal(await page.locator('[data-testid=bookmark-item]').count(), 2);
  await page.locator('[data-testid=goto-time]').fill('13:30:00');
  await page.keyboard.press('Enter');
  await page.locator('.tl-body').focus();
  await page.keyboard.press('Control+BracketRight');
  assert.equal((await ctlState()).cursor, t2);
  await page.keyboard.press('Control+BracketLeft');
  assert.equal((await ctlState()).cursor, t1);
  await page.locator('[data-testid=fit-all]').click();
  await waitIdle();
  await screenshot(page, 'timing-bookmarks');
  await page.keyboard.press('Control+Shift+B');
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('plcscope.bookmarks.')).length);
  assert.equal(stored, 1, 'bookmarks are stored per file');
});

test('Sync: a click in the diagram selects the row at that time in the log table, a row hover marks the diagram', async () => {
  await page.locator('[data-testid=goto-time]').fill('13:30:00.000');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=zoom-in]').click();
  await waitIdle();
  const box = await plotBox();
  const lane = await laneBox(kPulseKey);
  const xp = await xOf(kPulseOn);
  await page.mouse.click(box.x + xp - 3, box.y + lane.top + lane.height / 2);
  const cursor = (await ctlState()).cursor;
  assert.equal(cursor, kPulseOn, 'the click snapped to the pulse (its rising edge, from the left)');
  await page.locator('[data-tab=log]').click();
  await page.waitForFunction(() => document.querySelector('.grid-row.selected')?.textContent?.includes('13:30:00.000'), null, { timeout: 10_000 });
  await screenshot(page, 'timing-sync-table');
  const row = page.locator('.grid-row.selected').first();
  await row.hover();
  await page.locator('[data-tab=timing]').click();
  await page.waitForFunction(() => globalThis.__plcscopeTiming?.syncHover !== null);
  await waitIdle();
  await screenshot(page, 'timing-sync-hover');
});

test('lanes reorder by drag and collapse by device group', async () => {
  const names = () => page.locator('[data-testid=lane-name]').evaluateAll((els) => els.map((e) => e.dataset.key));
  const before = await names();
  assert.equal(before[0], kMotorKey);
  await page.locator(`[data-testid=lane-name][data-key="${kCounterKey}"]`).dragTo(page.locator(`[data-testid=lane-name][data-key="${kMotorKey}"]`));
  const after = await names();
  assert.equal(after[0], kCounterKey, 'the dragged lane (and its device group) comes first');
  assert.equal(after.length, before.length);
  await page.locator('[data-testid=lane-group]', { hasText: 'CNV-01' }).click();
  assert.equal((await names()).length, before.length - 4, 'collapsing CNV-01 hides its 4 lanes');
  await page.locator('[data-testid=lane-group]', { hasText: 'CNV-01' }).click();
  assert.equal((await names()).length, before.length);
});

test('dark theme and dense lanes look right', async () => {
  await page.locator('[data-testid=lane-density]').selectOption('36');
  await page.locator('[data-testid=fit-all]').click();
  await waitIdle();
  await screenshot(page, 'timing-dense-light');
  await page.locator('.app-header button', { hasText: 'Dark' }).click();
  await waitIdle();
  await screenshot(page, 'timing-dense-dark');
  await page.locator('.app-header button', { hasText: 'Light' }).click();
});
