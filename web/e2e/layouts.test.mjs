// Browser tests of lane layouts against the real server and Debian's
// Chromium: a layout saved in one browser is listed and loaded in another
// (lanes in order), exported as a file and imported back (a lane the session
// does not have is skipped and counted), and deleted. Screenshots go to
// web/test-results/screenshots/layouts-*.png.
//
//   node --test e2e/layouts.test.mjs    (after `npm run build` and the C++ build)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { apiJson, checkPrerequisites, launchBrowser, makeTmpDir, screenshot, startServer, uploadAndParse } from './harness.mjs';
import { kCounterKey, kModeKey, kMotorKey, kStateKey, writeTimingFixture } from './timing_fixture.mjs';

let server;
let browser;
let session;
let tmp;

async function openTiming(lanes) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}/?session=${session.id}&lanes=`);
  await page.locator('[data-tab=timing]').click();
  await page.waitForSelector('[data-testid=timing-canvas]');
  await setLanes(page, lanes);
  return page;
}

async function setLanes(page, lanes) {
  await page.evaluate((keys) => globalThis.__plcscopeTimingSelect(keys), lanes);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=lane-name]').length === n, lanes.length);
}

const laneKeys = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid=lane-name]')].map((e) => e.getAttribute('data-key')));

async function openMenu(page) {
  await page.locator('[data-testid=layouts-button]').click();
  await page.waitForSelector('[data-testid=layouts-menu]');
}

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir('plcscope-layouts-e2e-');
  const log = writeTimingFixture(join(tmp, 'timing_fixture.log'));
  server = await startServer();
  ({ session } = await uploadAndParse(server.url, log, 'timing_fixture.log'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('a layout saved in one browser is listed and loaded, in order, in another', async () => {
  // Lanes show grouped by device, each group in the order given.
  const order = [kStateKey, kMotorKey, kCounterKey];
  const first = await openTiming(order);
  await openMenu(first);
  await first.waitForSelector('text=No saved layouts in this session.');
  await first.locator('[data-testid=layout-name]').fill('Motor check');
  await first.locator('[data-testid=layout-save]').click();
  await first.waitForFunction(() => document.querySelector('[data-testid=layout-notice]')?.textContent === 'Saved “Motor check” (3 lanes)');
  await first.waitForSelector('[data-testid=layout-list] >> text=Motor check');
  await screenshot(first, 'layouts-saved');
  await first.close();

  // Someone else opens the session with other lanes.
  const second = await openTiming([kModeKey]);
  await openMenu(second);
  const load = second.locator('[data-testid=layout-load]', { hasText: 'Motor check' });
  await load.waitFor();
  assert.match(await load.textContent(), /Motor check · 3/);
  await load.click();
  await second.waitForFunction((n) => document.querySelectorAll('[data-testid=lane-name]').length === n, 3);
  assert.deepEqual(await laneKeys(second), order);
  await second.close();
});

test('a layout exported as a file imports back; a lane the session lacks is skipped and counted', async () => {
  const page = await openTiming([kMotorKey, kStateKey]);
  await openMenu(page);
  await page.locator('[data-testid=layout-name]').fill('Shift A / Störung');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=layout-export]').click()]);
  assert.equal(download.suggestedFilename(), 'Shift_A_Störung.plcscope-layout.json');
  const file = join(tmp, 'exported.json');
  await download.saveAs(file);
  const j = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(j.kind, 'plcscope-layout');
  assert.equal(j.name, 'Shift A / Störung');
  assert.deepEqual(j.lanes, [kMotorKey, kStateKey]);

  // Another lane set, then the file back with one lane this session does not have.
  await page.keyboard.press('Escape');
  await setLanes(page, [kModeKey]);
  j.lanes = [kStateKey, 'NOPE-9::Missing', kMotorKey];
  const edited = join(tmp, 'edited.json');
  writeFileSync(edited, JSON.stringify(j));
  await openMenu(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-testid=layout-import]').click()]);
  await chooser.setFiles(edited);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lane-name]').length === 2);
  assert.deepEqual(await laneKeys(page), [kStateKey, kMotorKey]);
  assert.equal(await page.locator('[data-testid=layout-notice]').textContent(), 'Imported “Shift A / Störung”: 2 lanes (1 not in this session, skipped)');
  await screenshot(page, 'layouts-imported');

  // A file that is not a layout names the problem in the banner and changes nothing.
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{"lanes": []}');
  const [chooser2] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-testid=layout-import]').click()]);
  await chooser2.setFiles(bad);
  await page.waitForSelector('text=The file is not a plcscope layout');
  assert.deepEqual(await laneKeys(page), [kStateKey, kMotorKey]);
  await page.close();
});

test('a deleted layout is gone for everyone', async () => {
  const page = await openTiming([kMotorKey]);
  await openMenu(page);
  const row = page.locator('[data-testid=layout-list] li', { hasText: 'Motor check' });
  await row.locator('[data-testid=layout-delete]').click();
  await page.waitForSelector('text=No saved layouts in this session.');
  const r = await apiJson(server.url, `/parse/${session.id}/layouts`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.layouts, []);
  await page.close();
});
