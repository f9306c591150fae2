// Browser tests of the timing view's analyzer tools against the real server
// and Debian's Chromium: the multi-signal condition search box (next /
// previous / count from the server, errors shown), the VCD export button
// (the downloaded file declares the lanes and holds their changes) and the
// A/B markers (delta and edges per lane). Screenshots go to
// web/test-results/screenshots/timing-tools-*.png.
//
//   node --test e2e/timing_tools.test.mjs    (after `npm run build` and the C++ build)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { checkPrerequisites, launchBrowser, makeTmpDir, screenshot, startServer, uploadAndParse } from './harness.mjs';
import { kEnd, kMotorKey, kStart, kStateKey, writeTimingFixture } from './timing_fixture.mjs';

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
