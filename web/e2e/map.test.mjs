// Browser tests of the Transitions and Map views: real Chromium against the
// real server, on small generated files whose answers are known by
// construction (a PLC trace, an MCS carrier log, a layout and rules), plus a
// 480-unit layout to measure the map's frame time.
// Run: npm run build && node --test e2e/map.test.mjs

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiJson, checkPrerequisites, launchBrowser, makeTmpDir, repoDir, screenshot, startServer, tableTime, uploadAndParse } from './harness.mjs';

const T0 = Date.UTC(2025, 8, 22, 13, 0, 0);  // 2025-09-22 13:00:00
const UNITS = ['CNV-101', 'CNV-102', 'CNV-103', 'CNV-104', 'CNV-105', 'CNV-106'];

function ts(ms) {
  return new Date(T0 + ms).toISOString().replace('T', ' ').replace('Z', '');
}

// PLC trace, 0..40 s: CNV-101's I_MOVE_IN is ON for 1.5 s every 4 s (ten
// A→B intervals of exactly 1500 ms, the last one 1700 ms); CNV-102-S1 (a
// device of unit CNV-102 through device_to_unit) raises I_ERROR 12..20 s.
function plcLog() {
  const lines = [];
  const add = (ms, dev, sig, v) => lines.push({ ms, text: `${ts(ms)} [Debug] [LINE1/BELTS/${dev}@B1] [INPUT2:${sig}] (Boolean) : ${v}` });
  for (let k = 0; k < 10; k++) {
    add(k * 4000, 'CNV-101', 'I_MOVE_IN', 'ON');
    add(k * 4000 + (k === 9 ? 1700 : 1500), 'CNV-101', 'I_MOVE_IN', 'OFF');
  }
  add(0, 'CNV-102-S1', 'I_ERROR', 'OFF');
  add(12_000, 'CNV-102-S1', 'I_ERROR', 'ON');
  add(20_000, 'CNV-102-S1', 'I_ERROR', 'OFF');
  for (let s = 0; s <= 40; s++) add(s * 1000, 'CNV-106', 'SPEED', 'OFF');
  lines.sort((a, b) => a.ms - b.ms);
  return lines.map((l) => l.text).join('\n') + '\n';
}

// CAR-1 walks CNV-101 → 102 → 103 → 104 every 5 s from 1 s, then is removed
// at 30 s; CAR-2 sits on CNV-105 from 2 s.
const CAR1 = [
  [1000, 'CNV-101'],
  [6000, 'CNV-102'],
  [11_000, 'CNV-103'],
  [16_000, 'CNV-104'],
];
function mcsLog() {
  const out = [];
  out.push(`${ts(1000)} [ADD=CMD001, CAR-1] [TransferState=ACTIVE] [CarrierLoc=CNV-101]`);
  out.push(`${ts(2000)} [ADD=CMD002, CAR-2] [CarrierLoc=CNV-105] [Priority=3]`);
  for (const [ms, loc] of CAR1.slice(1)) out.push(`${ts(ms)} [UPDATE=CMD001, CAR-1] [CarrierLocation=${loc}], [Priority=5]`);
  out.push(`${ts(30_000)} [REMOVE=CMD001]`);
  return out.join('\n') + '\n';
}

/** Where CAR-1 is at ms after T0 (null when absent). */
function car1At(ms) {
  if (ms < 1000 || ms >= 30_000) return null;
  let unit = null;
  for (const [t, u] of CAR1) if (ms >= t) unit = u;
  return unit;
}

function layoutXml(units, perRow = 6) {
  const objs = units.map((u, i) => {
    const x = 20 + (i % perRow) * 140;
    const y = 40 + Math.floor(i / perRow) * 70;
    return `  <Object name="Belt_${i}" type="SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt, SmartCIM">
    <Size>120, 40</Size><Location>${x}, ${y}</Location><UnitId>${u}</UnitId><FlowDirection>Angle_90</FlowDirection>
  </Object>
  <Object name="Arrow_${i}" type="SmartFactory.SmartCIM.GUI.Widgets.WidgetArrow"><Size>16, 12</Size><Location>${x + 122}, ${y + 14}</Location><FlowDirection>Angle_90</FlowDirection></Object>`;
  });
  return `<ConveyorMap version="1.0">\n${objs.join('\n')}\n  <Object name="Title" type="X.WidgetLabel" text="Line 1 (e2e)" location="20, 15" size="200, 20"/>\n</ConveyorMap>\n`;
}

const RULES = `default_color: "#D3D3D3"
device_to_unit:
  - pattern: "CNV-102-*"
    unit_id: "CNV-102"
rules:
  - signal: I_ERROR
    op: "=="
    value: true
    color: "#FF4444"
    text: ERR
    priority: 10
`;

let server;
let browser;
let page;
let tmp;
let plc;

async function openTab(id) {
  await page.click(`[data-tab=${id}]`);
}

/** Moves the map's playback to `ms` after T0 through its slider (1 ms steps from the session start). */
async function seekMap(ms, p = page) {
  await p.$eval(
    '[data-testid=mv-slider]',
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    ms,
  );
}

async function mapSnapshot(p = page) {
  return p.evaluate(() => {
    const badges = {};
    for (const b of document.querySelectorAll('[data-badge]')) badges[b.getAttribute('data-badge')] = b.getAttribute('data-carriers').split(' ');
    const fills = {};
    for (const g of document.querySelectorAll('g[data-unit]')) fills[g.getAttribute('data-unit')] = g.querySelector('rect').style.fill;
    return { t: window.__plcscopeMap?.t ?? null, badges, fills, time: document.querySelector('[data-testid=mv-time]')?.textContent };
  });
}

async function eventually(fn, timeout = 10_000) {
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

function carrierUnit(snap, id) {
  for (const [u, ids] of Object.entries(snap.badges)) if (ids.includes(id)) return u;
  return null;
}

before(async () => {
  checkPrerequisites();
  tmp = makeTmpDir();
  const data = join(tmp, 'data');
  mkdirSync(join(data, 'defaults', 'maps'), { recursive: true });
  writeFileSync(join(data, 'defaults', 'maps', 'e2e_line.xml'), layoutXml(UNITS));
  writeFileSync(join(data, 'defaults', 'rules.yaml'), RULES);
  writeFileSync(join(tmp, 'plc.log'), plcLog());
  writeFileSync(join(tmp, 'carriers.mcs.log'), mcsLog());
  server = await startServer({ dataDir: data });
  plc = await uploadAndParse(server.url, join(tmp, 'plc.log'), 'plc.log');
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}/?session=${plc.session.id}`);
  await page.waitForSelector('[data-tab=map]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('transitions view', () => {
  test('a rule computed over the session; clicking a result moves the other views', async () => {
    await openTab('transitions');
    await page.click('[data-testid=tr-add]');
    await page.fill('[aria-label="Rule name"]', 'Move in');
    await page.fill('[aria-label="Start (A) signal"]', 'CNV-101::I_MOVE_IN');
    await page.fill('[aria-label="Start (A) value"]', 'true');
    await page.fill('[aria-label="End (B) signal"]', 'I_MOVE_IN');
    await page.fill('[aria-label="End (B) value"]', 'false');
    await page.fill('[aria-label="Target ms"]', '1500');
    await page.fill('[aria-label="Tolerance ms"]', '100');
    await page.click('[data-testid=tr-run]');
    await page.waitForSelector('[data-testid=tr-results] tbody tr');
    const stats = await page.$$eval('[data-testid=tr-stats] tbody tr td', (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(stats.slice(0, 3), ['Move in', '10', '1.50 s']);
    assert.equal(stats[3], '1.70 s');
    assert.deepEqual(stats.slice(6), ['9', '1', '0']);  // within, above, below
    const rows = await page.$$eval('[data-testid=tr-results] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[2], ['3', 'CNV-101', tableTime(new Date(T0 + 8000).toISOString()), tableTime(new Date(T0 + 9500).toISOString()), '1.50 s', 'ok']);
    assert.equal(rows[9][5], 'above');
    // The CSV download holds every interval with its device.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=tr-csv]')]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(csv.length, 11);
    assert.equal(csv[0], 'rule,device,start,end,durationMs,status');
    assert.equal(csv[3], `Move in,CNV-101,${tableTime(new Date(T0 + 8000).toISOString())},${tableTime(new Date(T0 + 9500).toISOString())},1500,ok`);
    await page.waitForSelector('[data-testid=tr-histogram] rect');
    await page.waitForSelector('[data-testid=tr-trend] path');
    await screenshot(page, 'transitions_results');

    // Click the third interval: the log table selects the row at its start,
    // and the map's playback time is there too.
    await page.click('[data-testid=tr-results] tbody tr:nth-child(3)');
    await openTab('log');
    const want = tableTime(new Date(T0 + 8000).toISOString());
    await eventually(async () => {
      const sel = await page.$$eval('[data-testid=log-grid] .grid-row.selected .c-time', (els) => els.map((e) => e.textContent));
      assert.deepEqual(sel, [want]);
    });
    await screenshot(page, 'transitions_jump_log_table');
    await openTab('map');
    await eventually(async () => assert.equal(await page.textContent('[data-testid=mv-time]'), want));
    // The diagram shows that interval (a tenth of its 1.5 s on each side) with the rule's signal as a lane.
    await openTab('timing');
    await eventually(async () => {
      const u = new URL(page.url());
      assert.equal(u.searchParams.get('t0'), String(T0 + 8000 - 150));
      assert.equal(u.searchParams.get('t1'), String(T0 + 9500 + 150));
      assert.ok((u.searchParams.get('lanes') ?? '').split(',').includes('CNV-101::I_MOVE_IN'), u.href);
    });
    await screenshot(page, 'transitions_interval_in_timing');
  });
});

describe('map view', () => {
  test('demo map, carrier log, playback, follow, colors, details', async () => {
    await openTab('map');
    await page.click('[data-testid=mv-load-default]');
    await page.waitForSelector('g[data-unit="CNV-106"] rect');
    assert.equal(await page.locator('g[data-unit]').count(), UNITS.length);
    // The arrows are rotated by their flow direction (Angle_90: pointing right, no turn).
    assert.equal(await page.locator('path.mv-arrow[transform^="rotate(0"]').count(), UNITS.length);

    const chooser = page.waitForEvent('filechooser');
    await page.click('text=Carrier log…');
    await (await chooser).setFiles(join(tmp, 'carriers.mcs.log'));
    await eventually(async () => assert.match(await page.textContent('[data-testid=mv-carrier-status]'), /complete, \d+ entries/), 20_000);

    // Exact positions at chosen instants.
    for (const [ms, car1, car2] of [
      [500, null, null],
      [1000, 'CNV-101', null],
      [5999, 'CNV-101', 'CNV-105'],
      [6000, 'CNV-102', 'CNV-105'],
      [17_000, 'CNV-104', 'CNV-105'],
      [30_000, null, 'CNV-105'],
    ]) {
      await seekMap(ms);
      await eventually(async () => {
        const s = await mapSnapshot();
        assert.equal(s.t, T0 + ms);
        assert.equal(carrierUnit(s, 'CAR-1'), car1, `CAR-1 at ${ms}`);
        assert.equal(carrierUnit(s, 'CAR-2'), car2, `CAR-2 at ${ms}`);
      });
    }

    // Unit colors from the rules: CNV-102's device raises I_ERROR at 12..20 s.
    await seekMap(15_000);
    await eventually(async () => {
      const s = await mapSnapshot();
      assert.equal(s.fills['CNV-102'], 'rgb(255, 68, 68)');
      assert.equal(s.fills['CNV-101'], 'rgb(211, 211, 211)');
      assert.equal(await page.textContent('g[data-unit="CNV-102"] text'), 'ERR');
    });
    await screenshot(page, 'map_error_color');
    await seekMap(25_000);
    await eventually(async () => assert.equal((await mapSnapshot()).fills['CNV-102'], 'rgb(211, 211, 211)'));

    // Play at 10× from 0: CAR-1 is seen moving 101 → 102 → 103 → 104, each
    // observation at a time where the schedule puts it there.
    await seekMap(0);
    await page.selectOption('[data-testid=mv-speed]', '10');
    await page.click('[data-testid=mv-play]');
    const seen = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 6000) {
      const s = await mapSnapshot();
      const ms = s.t - T0;
      const u = carrierUnit(s, 'CAR-1');
      const nearEdge = CAR1.some(([t]) => Math.abs(ms - t) < 400) || Math.abs(ms - 30_000) < 400;
      if (!nearEdge) assert.equal(u, car1At(ms), `CAR-1 at ${ms} ms of playback`);
      if (u && seen[seen.length - 1] !== u) seen.push(u);
      if (ms >= 20_000) break;
      await page.waitForTimeout(40);
    }
    assert.deepEqual(seen, ['CNV-101', 'CNV-102', 'CNV-103', 'CNV-104']);
    await page.click('[data-testid=mv-play]');  // pause
    await screenshot(page, 'map_playback');

    // Follow CAR-1: its unit's badge is marked and the view centers on it.
    await seekMap(11_500);
    await page.fill('[data-testid=mv-search]', 'CAR-1');
    await page.click('[data-testid=mv-follow]');
    await eventually(async () => {
      assert.equal(await page.getAttribute('.mv-badge.mv-followed', 'data-badge'), 'CNV-103');
      const box = await page.locator('g[data-unit="CNV-103"] rect').boundingBox();
      const svg = await page.locator('[data-testid=mv-svg]').boundingBox();
      assert.ok(Math.abs(box.x + box.width / 2 - (svg.x + svg.width / 2)) < 3, 'centered in x');
      assert.ok(Math.abs(box.y + box.height / 2 - (svg.y + svg.height / 2)) < 3, 'centered in y');
    });
    await seekMap(16_500);
    await eventually(async () => assert.equal(await page.getAttribute('.mv-badge.mv-followed', 'data-badge'), 'CNV-104'));
    await screenshot(page, 'map_follow');
    await page.click('[data-testid=mv-follow]');

    // Details of a unit: its device and the carrier on it.
    await seekMap(15_000);
    await page.click('g[data-unit="CNV-102"] rect', { position: { x: 10, y: 10 } });
    await page.waitForSelector('[data-testid=mv-details] table');
    const details = await page.textContent('[data-testid=mv-details]');
    assert.match(details, /CNV-102-S1/);
    assert.match(details, /I_ERROR\s*true/);
    await screenshot(page, 'map_details');
  });

  test('playback with 480 units stays smooth (frame time measured)', async () => {
    const units = Array.from({ length: 480 }, (_, i) => `U-${String(i).padStart(3, '0')}`);
    const xml = layoutXml(units, 24);
    // Upload for this page's map view id (what the UI sends as ?view=).
    const viewId = await page.evaluate(() => localStorage.getItem('plcscope.mapViewId'));
    const b64 = Buffer.from(xml).toString('base64');
    const r = await apiJson(server.url, `/map/upload?view=${viewId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'big.xml', data: b64 }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.reload();
    await openTab('map');
    await page.waitForSelector('g[data-unit="U-479"] rect');
    await page.selectOption('[data-testid=mv-speed]', '10');
    await seekMap(0);
    await page.evaluate(() => (window.__plcscopeMap = undefined));
    const rafStats = page.evaluate(
      () =>
        new Promise((resolve) => {
          const gaps = [];
          let last = performance.now();
          const end = last + 3000;
          const f = (now) => {
            gaps.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(f);
            else resolve(gaps);
          };
          requestAnimationFrame(f);
        }),
    );
    await page.click('[data-testid=mv-play]');
    const gaps = (await rafStats).sort((a, b) => a - b);
    await page.click('[data-testid=mv-play]');
    const stats = await page.evaluate(() => window.__plcscopeMap);
    const fps = gaps.length / 3;
    const p95gap = gaps[Math.floor(gaps.length * 0.95)];
    console.log(
      `map 480 units: ${stats.frames} frames, work avg ${stats.avgMs.toFixed(3)} ms p95 ${stats.p95Ms.toFixed(3)} ms max ${stats.maxMs.toFixed(3)} ms; ` +
        `rAF ${fps.toFixed(1)} fps, p95 frame gap ${p95gap.toFixed(1)} ms`,
    );
    assert.equal(stats.units, 480);
    assert.ok(stats.frames > 30, 'frames drawn while playing');
    assert.ok(stats.p95Ms < 16, `p95 frame work ${stats.p95Ms} ms`);
    await screenshot(page, 'map_480_units');
  });
});

describe('demo map', () => {
  test('the demo layout, rules and carrier log from demo/', async () => {
    // A server with an empty data dir opens demo/demo.log and seeds the map defaults from demo/.
    const demo = await startServer();
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const health = await apiJson(demo.url, '/health');
      const sid = health.body.startupSessionId;
      assert.ok(sid, 'startup session');
      let st;
      for (let i = 0; i < 200; i++) {
        st = await apiJson(demo.url, `/parse/${sid}/status`);
        if (st.body.status === 'complete') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const start = st.body.startTime;
      const at = (hms) => Date.UTC(2025, 8, 22, 13, Number(hms.slice(3, 5)), Number(hms.slice(6, 8)), Number(hms.slice(9, 12))) - start;
      await p.goto(`${demo.url}/?session=${sid}`);
      await p.click('[data-tab=map]');
      await p.waitForFunction(() => document.querySelector('[aria-label="Default maps"]')?.value === 'demo_layout');
      await p.click('[data-testid=mv-load-default]');
      await p.waitForSelector('g[data-unit="B1ACNV13301-104"] rect');
      const chooser = p.waitForEvent('filechooser');
      await p.click('text=Carrier log…');
      await (await chooser).setFiles(join(repoDir, 'demo', 'demo_carriers.mcs.log'));
      await p.waitForFunction(() => /complete/.test(document.querySelector('[data-testid=mv-carrier-status]')?.textContent ?? ''), null, { timeout: 20_000 });
      const tray = async () => {
        const s = await mapSnapshot(p);
        for (const [u, ids] of Object.entries(s.badges)) if (ids.includes('TRAY25092200')) return u;
        return null;
      };
      // demo_carriers.mcs.log: TRAY25092200 reaches 101 at 13:00:03.100 and 102 at 13:00:07.331.
      for (const [hms, unit] of [
        ['13:00:03.099', 'B1ACNV13301-001'],
        ['13:00:03.100', 'B1ACNV13301-101'],
        ['13:00:07.330', 'B1ACNV13301-101'],
        ['13:00:07.331', 'B1ACNV13301-102'],
      ]) {
        await seekMap(at(hms), p);
        const t0 = Date.now();
        for (;;) {
          const u = await tray();
          if (u === unit) break;
          if (Date.now() - t0 > 10_000) assert.equal(u, unit, `TRAY25092200 at ${hms}`);
          await p.waitForTimeout(50);
        }
      }
      // Belt 104 faults 13:05:00–13:05:45 (I_ERROR, priority 100 → #FF4444).
      await seekMap(at('13:05:10.000'), p);
      await p.waitForFunction(() => document.querySelector('g[data-unit="B1ACNV13301-104"] rect')?.style.fill === 'rgb(255, 68, 68)', null, { timeout: 10_000 });
      await p.click('[data-testid=mv-fwd]');
      await screenshot(p, 'map_demo');

      // No arrow crosses a text at the default zoom: the flow chevrons in the
      // units and the arrows between them against every unit text and label,
      // each as drawn (its getBBox through its transform onto the screen).
      await p.click('text=Fit');
      const drawn = await p.evaluate(() => {
        const box = (el) => {
          const b = el.getBBox();
          const m = el.getScreenCTM();
          const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
          const xs = pts.map((q) => q[0]);
          const ys = pts.map((q) => q[1]);
          return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
        };
        const name = (el) => el.closest('g[data-unit]')?.getAttribute('data-unit') ?? el.textContent ?? el.getAttribute('d');
        const arrows = [...document.querySelectorAll('path.mv-flow, path.mv-arrow')].map((el) => ({ kind: el.getAttribute('class'), name: name(el), box: box(el) }));
        const texts = [...document.querySelectorAll('text.mv-unit-text, text.mv-label')].filter((el) => el.textContent).map((el) => ({ name: el.textContent, box: box(el), px: parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a }));
        return { arrows, texts };
      });
      assert.ok(drawn.arrows.filter((a) => a.kind === 'mv-flow').length >= 15, `chevrons drawn: ${drawn.arrows.length}`);
      assert.ok(drawn.arrows.filter((a) => a.kind === 'mv-arrow').length >= 15);
      assert.ok(drawn.texts.length >= 20, `texts drawn: ${drawn.texts.length}`);
      const crossings = [];
      for (const a of drawn.arrows) {
        for (const t of drawn.texts) {
          const overlap = Math.min(a.box.x1, t.box.x1) - Math.max(a.box.x0, t.box.x0) > 0 && Math.min(a.box.y1, t.box.y1) - Math.max(a.box.y0, t.box.y0) > 0;
          if (overlap) crossings.push(`${a.kind} of ${a.name} × "${t.name}"`);
        }
      }
      // Nor hides under an arrow between units.
      for (const c of drawn.arrows.filter((a) => a.kind === 'mv-flow')) {
        for (const a of drawn.arrows.filter((x) => x.kind === 'mv-arrow')) {
          if (Math.min(a.box.x1, c.box.x1) > Math.max(a.box.x0, c.box.x0) && Math.min(a.box.y1, c.box.y1) > Math.max(a.box.y0, c.box.y0)) crossings.push(`chevron of ${c.name} under an arrow`);
        }
      }
      assert.deepEqual(crossings, []);
      // Readable: the unit texts are at least 8 px tall on the screen at this zoom.
      const unitPx = Math.min(...drawn.texts.filter((t) => /^(IN|10\d|R10\d|LIFT 201|PORT 301|HOLD|ERR|TRAY|UP)$/.test(t.name)).map((t) => t.px));
      assert.ok(unitPx >= 8, `unit text ${unitPx} px`);
      await screenshot(p, 'map_demo_arrows_clear_of_labels');
    } finally {
      await p.close();
      await demo.stop();
    }
  });
});
