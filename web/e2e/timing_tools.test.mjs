// Browser tests of the timing view's analyzer tools against the real server
// and Debian's Chromium: the multi-signal condition search box (next /
// previous / count from the server, errors shown), the VCD export button
// (the downloaded file declares the lanes and holds their changes), the
// A/B markers (delta and edges per lane), zoom undo/redo (exact windows, a
// wheel burst and a drag one step each), a click on the time axis centring
// the view, the PNG and SVG exports (size, content, the lanes' names and
// edges) and the command palette (Ctrl+K: a signal added as a lane, a view
// switch, an action from another view) and the lane context menu (radix,
// enum names, alias, colour, analog line, copy, show only, hide; a layout
// carrying those lane displays into a fresh browser). Screenshots go to
// web/test-results/screenshots/timing-tools-*.png.
//
//   node --test e2e/timing_tools.test.mjs    (after `npm run build` and the C++ build)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { checkPrerequisites, launchBrowser, makeTmpDir, screenshot, screenshotDir, startServer, uploadAndParse } from './harness.mjs';
import { kCounterKey, kEnd, kMotorKey, kPulseKey, kStart, kStateKey, writeTimingFixture } from './timing_fixture.mjs';

let server;
let browser;
let page;
let tmp;

// Motor_Run is ON on [20k s, 20k s + 10 s), State = (30 s steps) % 5: the
// condition "Motor ON and State >= 3" evaluated at every 10 s change point.
function expectedIntervals() {
  const out = [];
  let on = false;
  for (let t = kStart; t <= kEnd; t += 10_000) {
    const motor = ((t - kStart) / 10_000) % 2 === 0;
    const state = Math.floor((t - kStart) / 30_000) % 5;
    const now = motor && state >= 3;
    if (now && !on) out.push(t);
    on = now;
  }
  return out;
}

async function selectSignal(key) {
  const name = key.split('::')[1];
  const search = page.locator('[data-testid=signal-sidebar] input[type=search]');
  await search.fill(name);
  const row = page.locator('[data-testid=signal-sidebar] label.sig-row', { hasText: name }).first();
  await row.locator('input[type=checkbox]').check();
}

const cursor = () => page.evaluate(() => globalThis.__plcscopeTiming.cursor);
const setCursor = (t) => page.evaluate((t) => globalThis.__plcscopeTiming.setCursor(t, true), t);

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir('plcscope-timing-tools-e2e-');
  const log = writeTimingFixture(join(tmp, 'timing_fixture.log'));
  server = await startServer();
  const { session } = await uploadAndParse(server.url, log, 'timing_fixture.log');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}/?session=${session.id}&lanes=`); // no starter lanes: the tests choose them
  await page.locator('[data-tab=timing]').click();
  await page.waitForSelector('[data-testid=timing-canvas]');
  await selectSignal(kMotorKey);
  await selectSignal(kStateKey);
  await page.waitForSelector(`[data-testid=lane-name][data-key="${kStateKey}"]`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the condition box finds the next and previous instant where every term holds, with the count', async () => {
  const starts = expectedIntervals();
  assert.ok(starts.length > 10);
  await setCursor(kStart - 1);
  const input = page.locator('[data-testid=condition-input]');
  await input.fill(`${kMotorKey} = ON && ${kStateKey} >= 3`);
  await input.press('Enter');
  // The readout re-renders after the cursor moves: wait for both.
  const waitStatus = (text) => page.waitForFunction((text) => document.querySelector('[data-testid=condition-status]')?.textContent === text, text);
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, starts[0]);
  await waitStatus(`1 / ${starts.length}`);
  await page.locator('[data-testid=condition-next]').click();
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, starts[1]);
  await waitStatus(`2 / ${starts.length}`);
  await page.locator('[data-testid=condition-next]').click();
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, starts[2]);
  await input.press('Shift+Enter');
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, starts[1]);
  await waitStatus(`2 / ${starts.length}`);
  // The view follows the cursor.
  const view = await page.evaluate(() => globalThis.__plcscopeTiming.view);
  assert.ok(view.start <= starts[1] && starts[1] <= view.end);
  await screenshot(page, 'timing-tools-condition');

  // Past the last one: the count stays, the cursor does not move.
  await setCursor(starts[starts.length - 1]);
  await page.locator('[data-testid=condition-next]').click();
  await waitStatus(`none after the cursor (${starts.length} in all)`);
  assert.equal(await cursor(), starts[starts.length - 1]);
});

test('a bad condition shows the server\'s sentence and marks the box', async () => {
  const input = page.locator('[data-testid=condition-input]');
  await input.fill('CNV-01::Nope = ON');
  await input.press('Enter');
  const err = page.locator('[data-testid=condition-error]');
  await err.waitFor();
  assert.match(await err.textContent(), /unknown signal 'CNV-01::Nope'/);
  assert.ok(await page.locator('.tl-cond.invalid').isVisible());
  await input.fill(`${kMotorKey} = ON &&`);
  await input.press('Enter');
  await page.waitForFunction(() => /expected a term/.test(document.querySelector('[data-testid=condition-error]')?.textContent ?? ''));
  await screenshot(page, 'timing-tools-condition-error');
  // Typing clears the error.
  await input.fill(`${kMotorKey} = ON`);
  assert.equal(await err.count(), 0);
});

test('+ lane adds the focused lane\'s value at the cursor as a term', async () => {
  const input = page.locator('[data-testid=condition-input]');
  await input.fill('');
  await setCursor(kStart + 95_000); // State = 3 there
  await page.locator(`[data-testid=lane-name][data-key="${kStateKey}"]`).click();
  await page.waitForFunction((k) => {
    const v = globalThis.__plcscopeTiming.valuesSig.peek().get(k);
    return v && v.known;
  }, kStateKey);
  await page.locator('[data-testid=condition-add]').click();
  assert.equal(await input.inputValue(), `${kStateKey} = 3`);
});

test('VCD export downloads the lanes over the view', async () => {
  await page.evaluate(
    ({ a, b }) => globalThis.__plcscopeTiming.setView({ start: a, end: b }),
    { a: kStart + 60_000, b: kStart + 120_000 },
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-vcd]').click()]);
  const file = join(tmp, 'export.vcd');
  await download.saveAs(file);
  const vcd = readFileSync(file, 'utf8');
  assert.match(vcd, /\$scope module CNV-01 \$end/);
  assert.match(vcd, /\$var wire 1 (\S+) Motor_Run \$end/);
  assert.match(vcd, /\$var integer 64 (\S+) State \$end/);
  assert.match(vcd, /\$timescale 1 us \$end/);
  const motorId = /\$var wire 1 (\S+) Motor_Run/.exec(vcd)[1];
  // Motor_Run toggles every 10 s: ON at 60 s (the window's start, in $dumpvars), then 5 changes.
  const changes = vcd.split('\n').filter((l) => l === `0${motorId}` || l === `1${motorId}`);
  assert.deepEqual(changes, [`1${motorId}`, `0${motorId}`, `1${motorId}`, `0${motorId}`, `1${motorId}`, `0${motorId}`, `1${motorId}`]);
  assert.match(vcd, /\n#10000000\n/); // 10 s after start, in microseconds
});

test('markers A and B show the delta and the edges per lane between them', async () => {
  await page.evaluate(({ a, b }) => globalThis.__plcscopeTiming.setView({ start: a, end: b }), { a: kStart, b: kStart + 300_000 });
  await setCursor(kStart + 15_000);
  await page.locator('[data-testid=marker-a]').click();
  await setCursor(kStart + 75_000);
  await page.locator('[data-testid=marker-b]').click();
  const readout = page.locator('[data-testid=marker-readout]');
  await page.waitForFunction(() => /edges/.test(document.querySelector('[data-testid=marker-readout]')?.textContent ?? ''));
  const text = await readout.textContent();
  assert.match(text, /1(\.0+)? min|60(\.0+)? s|1:00/);
  // Motor toggles at 20, 30, ..., 70 s (6), State at 30 and 60 s (2).
  assert.match(text, /8 edges/);
  const motorCount = await page.locator(`[data-testid=lane-value][data-key="${kMotorKey}"] [data-testid=lane-count]`).textContent();
  assert.match(motorCount, /^6 Δ/);
  await screenshot(page, 'timing-tools-markers');

  // Kept in the address and across a reload.
  const url = new URL(page.url());
  assert.equal(Number(url.searchParams.get('markA')), kStart + 15_000);
  assert.equal(Number(url.searchParams.get('markB')), kStart + 75_000);
  await page.reload();
  await page.waitForSelector('[data-testid=timing-canvas]');
  await page.waitForFunction(() => /8 edges/.test(document.querySelector('[data-testid=marker-readout]')?.textContent ?? ''));
  const m = await page.evaluate(() => globalThis.__plcscopeTiming.measureSig.peek());
  assert.deepEqual({ a: m.a, b: m.b }, { a: kStart + 15_000, b: kStart + 75_000 });

  await page.locator('[data-testid=marker-clear]').click();
  assert.equal(await readout.count(), 0);
  assert.equal(new URL(page.url()).searchParams.get('markA'), null);
});

const view = () => page.evaluate(() => ({ ...globalThis.__plcscopeTiming.view }));
const setView = (a, b) => page.evaluate(({ a, b }) => globalThis.__plcscopeTiming.setView({ start: a, end: b }), { a, b });

test('zoom undo / redo returns to the exact windows; a wheel burst and a drag are one step each', async () => {
  await setView(kStart + 600_000, kStart + 1_200_000);
  const v0 = await view();
  await page.locator('[data-testid=zoom-in]').click();
  const v1 = await view();
  assert.ok(v1.end - v1.start < (v0.end - v0.start) * 0.6, 'zoom in halves the span');
  // A burst of Ctrl+wheel steps at one point of the plot: one step.
  const plot = await page.locator('[data-testid=timing-canvas]').boundingBox();
  await page.mouse.move(plot.x + plot.width * 0.3, plot.y + 30);
  await page.keyboard.down('Control');
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -120);
  await page.keyboard.up('Control');
  const v2 = await view();
  assert.ok(v2.end - v2.start < (v1.end - v1.start) * 0.5, 'the wheel zoomed in');
  // A drag that pans: one step however many moves.
  await page.mouse.move(plot.x + 500, plot.y + 30);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(plot.x + 500 + i * 20, plot.y + 30);
  await page.mouse.up();
  const v3 = await view();
  assert.ok(v3.start < v2.start, 'the drag panned to earlier times');
  assert.ok(Math.abs(v3.end - v3.start - (v2.end - v2.start)) < 1e-6);
  assert.equal(await page.locator('[data-testid=zoom-undo]').isEnabled(), true);
  assert.equal(await page.locator('[data-testid=zoom-redo]').isEnabled(), false);

  await page.keyboard.press('Control+z');
  assert.deepEqual(await view(), v2);
  await page.keyboard.press('Control+z');
  assert.deepEqual(await view(), v1, 'the whole wheel burst is undone at once');
  await page.locator('[data-testid=zoom-undo]').click();
  assert.deepEqual(await view(), v0);
  await page.locator('[data-testid=zoom-redo]').click();
  assert.deepEqual(await view(), v1);
  await page.keyboard.press('Control+Shift+z');
  assert.deepEqual(await view(), v2);
  await page.keyboard.press('Control+y');
  assert.deepEqual(await view(), v3);
  assert.equal(await page.locator('[data-testid=zoom-redo]').isEnabled(), false);
  // Undo, then a new step: nothing left to redo.
  await page.keyboard.press('Control+z');
  await page.locator('[data-testid=zoom-out]').click();
  assert.equal(await page.locator('[data-testid=zoom-redo]').isEnabled(), false);
  await page.keyboard.press('Control+z');
  assert.deepEqual(await view(), v2);
  // Ctrl+Z in a text box edits the text, not the zoom.
  const box = page.locator('[data-testid=goto-time]');
  await box.fill('13:10');
  await box.press('Control+z');
  assert.deepEqual(await view(), v2);
  await box.fill('');
  await screenshot(page, 'timing-tools-zoom-history');
});

test('a click on the time axis centres the view there, keeping the zoom', async () => {
  await setView(kStart + 600_000, kStart + 660_000);
  const before = await view();
  const axis = await page.locator('[data-testid=timing-axis]').boundingBox();
  const x = Math.round(axis.width * 0.25);
  await page.mouse.click(axis.x + x, axis.y + axis.height / 2);
  const after = await view();
  const span = before.end - before.start;
  assert.ok(Math.abs(after.end - after.start - span) < 1e-6, 'the zoom stays');
  const want = before.start + (x / axis.width) * span;
  assert.ok(Math.abs((after.start + after.end) / 2 - want) <= span / axis.width, `centred at ${want}, got ${(after.start + after.end) / 2}`);
  // A press that moves is no click.
  await page.mouse.move(axis.x + 100, axis.y + 10);
  await page.mouse.down();
  await page.mouse.move(axis.x + 160, axis.y + 10);
  await page.mouse.up();
  assert.deepEqual(await view(), after);
  // It is a zoom-history step.
  await page.keyboard.press('Control+z');
  assert.deepEqual(await view(), before);
});

test('PNG and SVG export the visible lanes over the window with their names', async () => {
  await setView(kStart + 65_000, kStart + 175_000);
  mkdirSync(screenshotDir, { recursive: true });
  const names = await page.locator('[data-testid=lane-names]').boundingBox();
  const plot = await page.locator('[data-testid=timing-canvas]').boundingBox();
  // The lanes' height: the bottom of the last row of the names column.
  const lanesHeight = await page.evaluate(() => {
    let h = 0;
    for (const el of document.querySelectorAll('[data-testid=lane-names] > *')) h = Math.max(h, el.offsetTop + el.offsetHeight);
    return h;
  });
  const width = Math.round(names.width) + Math.round(plot.width);
  const height = 34 + Math.min(lanesHeight, Math.round(plot.height));

  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-png]').click()]);
  assert.match(png.suggestedFilename(), /^plcscope-timing_fixture-20250922-130105\.png$/);
  const pngFile = join(screenshotDir, 'timing-tools-export.png');
  await png.saveAs(pngFile);
  const buf = readFileSync(pngFile);
  assert.equal(buf.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG file');
  assert.equal(buf.readUInt32BE(16), width);
  assert.equal(buf.readUInt32BE(20), height);
  // Drawn, not blank: the boolean lane's green and the names' dark text.
  const colours = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let wave = 0;
    let text = 0;
    const nw = Math.round(document.querySelector('[data-testid=lane-names]').getBoundingClientRect().width);
    for (let i = 0; i < d.length; i += 4) {
      const x = (i / 4) % c.width;
      if (x > nw && d[i] === 0x0f && d[i + 1] === 0x7b && d[i + 2] === 0x45) wave++;
      if (x < nw && d[i] < 80 && d[i + 1] < 80 && d[i + 2] < 90) text++;
    }
    return { wave, text };
  }, buf.toString('base64'));
  assert.ok(colours.wave > 500, `wave pixels: ${colours.wave}`);
  assert.ok(colours.text > 50, `name pixels: ${colours.text}`);

  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-svg]').click()]);
  assert.match(svgDl.suggestedFilename(), /\.svg$/);
  const svgFile = join(tmp, 'export.svg');
  await svgDl.saveAs(svgFile);
  const svg = readFileSync(svgFile, 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: root.nodeName,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      names: [...doc.querySelectorAll('text[data-key]')].map((t) => [t.getAttribute('data-key'), t.textContent]),
      waves: doc.querySelectorAll('path[data-kind=wave]').length,
      boxes: doc.querySelectorAll('path[data-kind=box]').length,
      texts: doc.querySelectorAll('text').length,
    };
  }, svg);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.width, width);
  assert.equal(parsed.height, height);
  assert.deepEqual(parsed.names, [
    [kMotorKey, 'Motor_Run'],
    [kStateKey, 'State'],
  ]);
  assert.equal(parsed.waves, 1);
  assert.ok(parsed.boxes >= 2, 'State draws value boxes');
  // Motor_Run toggles every 10 s: 70 s, 80 s, … 170 s are 11 edges in [65 s, 175 s].
  const wave = /<path d="([^"]*)"[^>]*data-kind="wave"/.exec(svg)[1];
  const edges = [...wave.matchAll(/h2v([\d.]+)/g)].filter((m) => Number(m[1]) > 2);
  assert.equal(edges.length, 11);
  // State is 2 from 60 s, 3 from 90 s, 4 from 120 s, 0 from 150 s: labelled boxes.
  for (const v of ['2', '3', '4', '0']) assert.match(svg, new RegExp(`>${v}</text>`));
  // Render the file itself to look at it.
  const view2 = await browser.newPage({ viewport: { width, height } });
  await view2.goto(`file://${svgFile}`);
  await screenshot(view2, 'timing-tools-export-svg');
  await view2.close();
});

test('Ctrl+K finds a signal and adds it as a lane, switches views, and runs actions from another view', async () => {
  const palette = page.locator('[data-testid=command-palette]');
  const input = page.locator('[data-testid=command-input]');
  const first = page.locator('[data-testid=command-item]').first();
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'command-input');
  await input.fill('cnv2puls');
  assert.equal(await first.getAttribute('data-id'), `s:${kPulseKey}`);
  assert.match(await first.textContent(), /add as lane/);
  await screenshot(page, 'timing-tools-palette');
  await input.press('Enter');
  await palette.waitFor({ state: 'detached' });
  const lane = page.locator(`[data-testid=lane-name][data-key="${kPulseKey}"]`);
  await lane.waitFor();
  await page.waitForFunction((k) => document.querySelector(`[data-testid=lane-name][data-key="${k}"]`)?.classList.contains('focused'), kPulseKey);
  assert.deepEqual(await page.evaluate(() => globalThis.__plcscopeTiming.focusSig.peek()), kPulseKey);

  // Again: the lane is there, so the item focuses it (no second lane).
  await page.locator(`[data-testid=lane-name][data-key="${kMotorKey}"]`).click();
  await page.keyboard.press('Control+k');
  await input.fill('cnv2puls');
  assert.match(await first.textContent(), /focus lane/);
  await input.press('Enter');
  await page.waitForFunction(() => globalThis.__plcscopeTiming.focusSig.peek() === 'CNV-02::Pulse');
  assert.equal(await lane.count(), 1);

  // Arrows move the selection; Escape closes without running anything.
  await page.keyboard.press('Control+k');
  await input.fill('cnv');
  const ids = await page.locator('[data-testid=command-item]').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.ok(ids.length >= 3);
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await input.press('ArrowUp');
  assert.equal(await page.locator('[data-testid=command-item].sel').getAttribute('data-id'), ids[1]);
  await input.press('Escape');
  await palette.waitFor({ state: 'detached' });

  // A view, by a fuzzy name.
  await page.keyboard.press('Control+k');
  await input.fill('logtab');
  assert.equal(await first.getAttribute('data-id'), 'v:log');
  await input.press('Enter');
  await page.waitForSelector('main.view[data-view=log]');
  assert.equal(await page.locator('[data-tab=log]').getAttribute('aria-selected'), 'true');

  // An action of the diagram from the log table: it switches there and runs.
  await page.keyboard.press('Control+k');
  await input.fill('>fit');
  assert.equal(await first.getAttribute('data-id'), 'a:timing.fit');
  assert.equal(await page.locator('[data-testid=command-item][data-kind=signal]').count(), 0, '> searches the actions only');
  await input.press('Enter');
  await page.waitForSelector('main.view[data-view=timing]');
  await page.waitForFunction(({ a, b }) => {
    const v = globalThis.__plcscopeTiming.view;
    return v.start <= a && v.end >= b;
  }, { a: kStart, b: kEnd });
  // Zoom actions are zoom-history steps: undo from the palette restores the window.
  await setView(kStart + 60_000, kStart + 70_000);
  const before = await view();
  await page.keyboard.press('Control+k');
  await input.fill('zoom in');
  assert.equal(await first.getAttribute('data-id'), 'a:timing.zoom-in');
  await input.press('Enter');
  assert.ok((await view()).end - (await view()).start < 6_000);
  await page.keyboard.press('Control+k');
  await input.fill('undo zoom');
  assert.equal(await first.getAttribute('data-id'), 'a:timing.undo-zoom');
  await input.press('Enter');
  assert.deepEqual(await view(), before);
  await screenshot(page, 'timing-tools-palette-done');

  // The VCD export and a shell action (the theme) from the palette.
  await page.keyboard.press('Control+k');
  await input.fill('>vcd');
  assert.equal(await first.getAttribute('data-id'), 'a:timing.export-vcd');
  const [vcd] = await Promise.all([page.waitForEvent('download'), input.press('Enter')]);
  assert.match(vcd.suggestedFilename(), /\.vcd$/);
  await page.keyboard.press('Control+k');
  await input.fill('dark theme');
  assert.equal(await first.getAttribute('data-id'), 'a:app.theme');
  await input.press('Enter');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.keyboard.press('Control+k');
  await input.fill('stat');
  await screenshot(page, 'timing-tools-palette-dark');
  await input.fill('dark theme');
  await input.press('Enter');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');

  // Help lists the new keys.
  await page.locator('[data-testid=timing-canvas]').click();
  await page.keyboard.press('?');
  const help = page.locator('[data-testid=help-dialog]');
  await help.waitFor();
  const helpText = await help.textContent();
  for (const k of ['Ctrl+K', 'Ctrl+Z', 'Ctrl+Shift+Z / Ctrl+Y', 'Click on the time axis', 'Command palette', 'Right click on a lane name']) assert.ok(helpText.includes(k), `Help lists ${k}`);
  await screenshot(page, 'timing-tools-help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
});

// ---- per-lane display: radix, enum names, alias, colour, analog; kept in layouts ----

const kT = kStart + 45_010; // Counter = 900 (+1 per 50 ms), State = 1
const nameOf = (p, key) => p.locator(`[data-testid=lane-name][data-key="${key}"] .tl-signal`);
const waitText = (p, key, text) =>
  p.waitForFunction(([k, t]) => document.querySelector(`[data-testid=lane-value][data-key="${k}"] .tl-val`)?.textContent === t, [key, text]);

async function showLanes(p, keys) {
  await p.evaluate((k) => globalThis.__plcscopeTimingSelect(k), keys);
  await p.waitForFunction((n) => document.querySelectorAll('[data-testid=lane-name]').length === n, keys.length);
  await p.evaluate(([a, b, t]) => {
    const c = globalThis.__plcscopeTiming;
    c.setView({ start: a, end: b });
    c.setCursor(t, true);
  }, [kStart, kStart + 120_000, kT]);
  await p.mouse.move(5, 5);
}

async function laneMenuItem(p, key, label) {
  await p.locator(`[data-testid=lane-name][data-key="${key}"]`).click({ button: 'right' });
  const menu = p.locator('[data-testid=context-menu]');
  await menu.waitFor();
  return menu.locator('button[role=menuitem]').filter({ hasText: label });
}

test('lane context menu: hex, enum names, alias, colour and analog line in the value column, tooltip and canvas', async () => {
  await showLanes(page, [kStateKey, kMotorKey, kCounterKey]);
  await waitText(page, kCounterKey, '900');
  await waitText(page, kStateKey, '1');
  await waitText(page, kMotorKey, 'true');

  // A boolean lane has no radix items, only its colour and name in the dialog.
  const items = await (await laneMenuItem(page, kMotorKey, /./)).allTextContents();
  assert.deepEqual(items, ['Rename / display…', 'Copy value at cursor', 'Show only this lane', 'Hide lane']);
  await page.locator('[data-testid=context-menu] button', { hasText: 'Rename / display' }).click();
  await page.locator('[data-testid=lane-color-orange]').click();
  assert.equal(await page.locator('[data-testid=lane-radix]').count(), 0);
  await page.locator('[data-testid=lane-display-save]').click();
  await page.waitForFunction((k) => globalThis.__plcscopeTiming.lastScene.lanes.find((l) => l.key === k)?.color === '#e07b00', kMotorKey);

  // Copy value at cursor.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await (await laneMenuItem(page, kCounterKey, 'Copy value at cursor')).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '900');

  // Hex from the menu; the ✓ moves to it.
  const hex = await laneMenuItem(page, kCounterKey, /^\s*Hex$/);
  await screenshot(page, 'timing-tools-lane-menu');
  await hex.click();
  await waitText(page, kCounterKey, '0x384');
  assert.match(await (await laneMenuItem(page, kCounterKey, /Hex$/)).first().textContent(), /^✓ Hex$/);
  await (await laneMenuItem(page, kCounterKey, /^\s*Binary$/)).click();
  await waitText(page, kCounterKey, '0b1110000100');

  // Rename and enum names in the dialog; a bad entry is named and skipped.
  await (await laneMenuItem(page, kStateKey, 'Rename / display')).click();
  const dlg = page.locator('[data-testid=lane-display-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-testid=lane-alias]').fill('Belt state');
  await dlg.locator('[data-testid=lane-enum]').fill('0=IDLE,1=RUN,2=ERR,x=BAD');
  assert.equal(await dlg.locator('[data-testid=lane-enum-errors]').textContent(), '“x=BAD”: x is not an int64 integer (skipped)');
  await dlg.locator('[data-testid=lane-color-red]').click();
  await screenshot(page, 'timing-tools-lane-dialog');
  await dlg.locator('[data-testid=lane-display-save]').click();
  await dlg.waitFor({ state: 'detached' });
  await waitText(page, kStateKey, 'RUN');
  assert.equal(await nameOf(page, kStateKey).textContent(), 'Belt state');
  // "+ lane" puts the signal's own value in the condition, not its enum name.
  const cond = page.locator('[data-testid=condition-input]');
  await cond.fill('');
  await page.locator(`[data-testid=lane-name][data-key="${kStateKey}"]`).click();
  await page.locator('[data-testid=condition-add]').click();
  assert.equal(await cond.inputValue(), `${kStateKey} = 1`);
  await cond.fill('');
  // The value search takes the lane's enum names: ERR is State = 2, next at 60 s.
  await page.locator('[data-testid=value-search]').fill('err');
  await page.locator('[data-testid=value-next]').click();
  await page.waitForFunction((t) => globalThis.__plcscopeTiming.cursor === t, kStart + 60_000);
  await waitText(page, kStateKey, 'ERR');
  await page.locator('[data-testid=value-search]').fill('');
  await setCursor(kT);
  await waitText(page, kStateKey, 'RUN');
  assert.equal(await page.locator(`[data-testid=lane-name][data-key="${kStateKey}"]`).getAttribute('title'), `Belt state (${kStateKey})`);

  // The canvas labels the boxes with the names (the scene the exports draw) in the lane's colour.
  const scene = await page.evaluate((k) => {
    const l = globalThis.__plcscopeTiming.lastScene.lanes.find((x) => x.key === k);
    return { name: l.name, color: l.color, labels: [0, 1, 2, 3].map((v) => l.format(v)) };
  }, kStateKey);
  assert.deepEqual(scene, { name: 'Belt state', color: '#d6334a', labels: ['IDLE', 'RUN', 'ERR', '3'] });

  // The tooltip over the lane at the cursor's time.
  const canvas = page.locator('[data-testid=timing-canvas]');
  const box = await canvas.boundingBox();
  const top = await page.evaluate((k) => document.querySelector(`[data-testid=lane-name][data-key="${k}"]`).offsetTop, kStateKey);
  const x = box.x + ((kT - kStart) / 120_000) * box.width;
  await page.mouse.move(x, box.y + top + 30);
  const tip = page.locator('[data-testid=timing-tooltip]');
  await tip.waitFor();
  await page.waitForFunction(() => /Belt state\s*RUN/.test(document.querySelector('[data-testid=timing-tooltip]')?.textContent ?? ''));
  await screenshot(page, 'timing-tools-lane-enum');
  await page.mouse.move(5, 5);

  // The Counter as an analog line: drawn from the lane's min to max, no boxes.
  await (await laneMenuItem(page, kCounterKey, 'Analog line')).click();
  await page.waitForFunction((k) => globalThis.__plcscopeTiming.lastScene.lanes.find((l) => l.key === k)?.analog === true, kCounterKey);
  const m = await page.evaluate((k) => {
    const l = globalThis.__plcscopeTiming.lastScene.lanes.find((x) => x.key === k);
    return { lo: l.model.lo, hi: l.model.hi };
  }, kCounterKey);
  assert.ok(m.lo <= 1 && m.hi >= 2399 && m.hi <= 2401, `y-scale of the visible data: ${JSON.stringify(m)}`);
  await waitText(page, kCounterKey, '0b1110000100');
  await screenshot(page, 'timing-tools-lane-analog');
  // The lane colours read on the dark theme too.
  const themeButton = page.locator('button[title="Switch between light and dark theme"]');
  await themeButton.click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await screenshot(page, 'timing-tools-lane-dark');
  await themeButton.click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
});

test('a layout saved with lane displays restores them in a fresh browser, and exports them', async () => {
  await page.locator('[data-testid=layouts-button]').click();
  await page.locator('[data-testid=layout-name]').fill('Radix view');
  await page.locator('[data-testid=layout-save]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=layout-notice]')?.textContent === 'Saved “Radix view” (3 lanes)');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=layout-export]').click()]);
  const file = join(tmp, 'radix.json');
  await download.saveAs(file);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).settings.lanes, {
    [kCounterKey]: { radix: 'bin', analog: true },
    [kStateKey]: { enum: '0=IDLE,1=RUN,2=ERR,x=BAD', color: 'red', alias: 'Belt state' },
    [kMotorKey]: { color: 'orange' },
  });
  await page.keyboard.press('Escape');

  // Another browser (its own storage): the defaults until the layout loads.
  const fresh = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  fresh.on('pageerror', (e) => console.error('page error:', e));
  await fresh.goto(`${server.url}/?session=${new URL(page.url()).searchParams.get('session')}&lanes=`);
  await fresh.locator('[data-tab=timing]').click();
  await fresh.waitForSelector('[data-testid=timing-canvas]');
  await showLanes(fresh, [kStateKey]);
  await waitText(fresh, kStateKey, '1');
  assert.equal(await nameOf(fresh, kStateKey).textContent(), 'State');
  await fresh.locator('[data-testid=layouts-button]').click();
  await fresh.locator('[data-testid=layout-load]', { hasText: 'Radix view' }).click();
  await fresh.waitForFunction(() => document.querySelectorAll('[data-testid=lane-name]').length === 3);
  await fresh.keyboard.press('Escape');
  await fresh.evaluate((t) => globalThis.__plcscopeTiming.setCursor(t, true), kT);
  await waitText(fresh, kStateKey, 'RUN');
  await waitText(fresh, kCounterKey, '0b1110000100');
  assert.equal(await nameOf(fresh, kStateKey).textContent(), 'Belt state');
  await fresh.waitForFunction((k) => globalThis.__plcscopeTiming.lastScene?.lanes.find((l) => l.key === k)?.analog === true, kCounterKey);

  // Kept for the session in this browser: a reload shows them again.
  // (the address follows the lanes 300 ms after the last change)
  await fresh.waitForFunction((k) => (new URL(location.href).searchParams.get('lanes') ?? '').split(',').includes(k), kStateKey);
  await fresh.reload();
  await fresh.waitForSelector(`[data-testid=lane-name][data-key="${kStateKey}"]`);
  assert.equal(await nameOf(fresh, kStateKey).textContent(), 'Belt state');
  await fresh.evaluate((t) => globalThis.__plcscopeTiming.setCursor(t, true), kT);
  await waitText(fresh, kStateKey, 'RUN');
  await waitText(fresh, kCounterKey, '0b1110000100');
  assert.deepEqual(
    await fresh.evaluate((k) => [0, 1, 2].map((v) => globalThis.__plcscopeTiming.lastScene.lanes.find((l) => l.key === k).format(v)), kStateKey),
    ['IDLE', 'RUN', 'ERR'],
  );
  await screenshot(fresh, 'timing-tools-lane-layout-loaded');
  await fresh.close();

  // Hide and Show only from the menu.
  await (await laneMenuItem(page, kCounterKey, 'Show only this lane')).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lane-name]').length === 1);
  assert.equal(await page.locator('[data-testid=lane-name]').getAttribute('data-key'), kCounterKey);
  await (await laneMenuItem(page, kCounterKey, 'Hide lane')).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lane-name]').length === 0);
});
