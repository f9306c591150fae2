// Browser benchmark of the Timing Diagram (not part of the test run):
//   1. time from selecting 50 signals to their lanes drawn (no gaps left),
//   2. frames per second while panning, then while zooming, with 50 lanes
//      visible, from requestAnimationFrame timestamps, and how many frames
//      showed a not-yet-loaded gap (drawing never waits for the network).
// Runs `plcscope gen` for the session unless BENCH_LOG names a file.
//
//   node e2e/timing_bench.mjs [--lines N] [--runs R] [--seconds S]
//   BENCH_LOG=file: use that log; BENCH_URL=http://.. BENCH_SESSION=id: use a
//   running server's session (no upload).
//   (needs `npm run build` and the C++ build; prints a JSON summary)

import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { checkPrerequisites, generateLog, launchBrowser, makeTmpDir, screenshot, startServer, uploadAndParse } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const kLines = opt('--lines', 2_000_000);
const kRuns = opt('--runs', 3);
const kSeconds = opt('--seconds', 4);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { min: s[0], median: q(0.5), max: s[s.length - 1] };
}

// In the page: drives the view once per frame for `seconds`, returns frame
// intervals and gap counts.
async function drive(page, mode, seconds) {
  return page.evaluate(
    ({ mode, seconds }) =>
      new Promise((resolve) => {
        const c = globalThis.__plcscopeTiming;
        const stamps = [];
        let gapFrames = 0;
        let dir = 1;
        const t0 = performance.now();
        const step = (ts) => {
          stamps.push(ts);
          const v = c.view;
          const s = v.end - v.start;
          if (mode === 'pan') {
            const dt = (s / c.plotWidth()) * 12 * dir;
            c.setView({ start: v.start + dt, end: v.end + dt });
            if (v.start + dt <= c.bounds.min || v.end + dt >= c.bounds.max) dir = -dir;
          } else {
            const f = dir > 0 ? 0.96 : 1 / 0.96;
            const mid = (v.start + v.end) / 2;
            c.setView({ start: mid - (s * f) / 2, end: mid + (s * f) / 2 });
            if (s < 5_000) dir = -1;
            if (s > (c.bounds.max - c.bounds.min) * 0.5) dir = 1;
          }
          if (c.gapsShown() > 0) gapFrames++;
          if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(step);
          else resolve({ stamps, gapFrames, drawMs: c.stats.drawMs.slice(-stamps.length) });
        };
        requestAnimationFrame(step);
      }),
    { mode, seconds },
  );
}

async function main() {
  checkPrerequisites();
  const tmp = makeTmpDir('plcscope-timing-bench-');
  // BENCH_URL + BENCH_SESSION: a server already holding the session.
  const reuse = process.env.BENCH_URL && process.env.BENCH_SESSION;
  const log = reuse ? null : (process.env.BENCH_LOG ?? generateLog(join(tmp, 'bench.log'), kLines, 7));
  const server = reuse ? { url: process.env.BENCH_URL, stop: async () => {} } : await startServer();
  const browser = await launchBrowser();
  const out = { lines: kLines, runs: [] };
  try {
    const { session, parseWallMs } = reuse
      ? { session: await (await fetch(`${server.url}/api/parse/${process.env.BENCH_SESSION}/status`)).json(), parseWallMs: null }
      : await uploadAndParse(server.url, log, 'bench.log');
    out.entries = session.entryCount;
    out.parseWallMs = parseWallMs;
    const keysRes = await fetch(`${server.url}/api/parse/${session.id}/signals`);
    const all = await keysRes.json();
    // 50 signals of a few devices (keys sorted: neighbours share a device),
    // as a user picks them; all lanes fit the 1600 px tall window.
    const from = Math.floor(all.length / 3);
    const keys = all.slice(from, from + 50);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1600 } });
    await page.goto(`${server.url}/?session=${session.id}`);
    await page.locator('[data-tab=timing]').click();
    await page.waitForFunction(() => globalThis.__plcscopeTiming && globalThis.__plcscopeTimingSelect);
    await page.locator('[data-testid=lane-density]').selectOption('24');
    for (let r = 0; r < kRuns; r++) {
      const run = {};
      await page.evaluate(() => globalThis.__plcscopeTimingSelect([]));
      await page.evaluate(() => globalThis.__plcscopeTiming.cache.clear());
      await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => res())));
      run.selectToDrawnMs = await page.evaluate(
        (keys) =>
          new Promise((resolve) => {
            const c = globalThis.__plcscopeTiming;
            const t0 = performance.now();
            globalThis.__plcscopeTimingSelect(keys);
            const check = () => {
              const dt = performance.now() - t0;
              if (c.lanesShown() >= 50 && c.gapsShown() === 0) resolve(dt);
              else if (dt > 30_000) resolve({ timeout: true, lanes: c.lanesShown(), gaps: c.gapsShown() });
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
        keys,
      );
      for (const mode of ['pan', 'zoom']) {
        // Start from a 10-minute window in the middle (a full view cannot pan).
        await page.evaluate(() => {
          const c = globalThis.__plcscopeTiming;
          const mid = (c.bounds.min + c.bounds.max) / 2;
          c.setView({ start: mid - 300_000, end: mid + 300_000 });
        });
        await page.waitForFunction(() => globalThis.__plcscopeTiming.gapsShown() === 0 && !globalThis.__plcscopeTiming.cache.loading());
        const res = await drive(page, mode, kSeconds);
        const iv = res.stamps.slice(1).map((t, i) => t - res.stamps[i]);
        const secs = (res.stamps[res.stamps.length - 1] - res.stamps[0]) / 1000;
        run[mode] = {
          fps: Math.round(((res.stamps.length - 1) / secs) * 10) / 10,
          frameMs: stats(iv),
          drawMs: stats(res.drawMs),
          frames: res.stamps.length,
          framesWithGaps: res.gapFrames,
        };
      }
      out.runs.push(run);
      if (r === 0) await screenshot(page, 'timing-bench-50-lanes');
    }
    out.keys = keys;
    const pick = (f) => stats(out.runs.map(f));
    out.summary = {
      selectToDrawnMs: pick((r) => r.selectToDrawnMs),
      panFps: pick((r) => r.pan.fps),
      zoomFps: pick((r) => r.zoom.fps),
      panDrawMsMedian: pick((r) => r.pan.drawMs.median),
      zoomDrawMsMedian: pick((r) => r.zoom.drawMs.median),
    };
    out.loadAverage = (await import('node:os')).loadavg();
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
