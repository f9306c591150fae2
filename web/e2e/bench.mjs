// Browser benchmark of the log table (not part of the test run):
//   1. parse complete → first table rows shown (page opened on the session
//      while it parses; the clock starts when the server reports complete);
//   2. releasing a scrollbar drag at the end (or the top) → correct rows shown.
// Reports min / median / max over runs. Needs the built server and UI.
//
//   node e2e/bench.mjs                       generates 12 M lines with plcscope gen
//   PLCSCOPE_BENCH_LOG=/path node e2e/bench.mjs    uses an existing trace
//   PLCSCOPE_BENCH_LINES=1000000 …           another size
//   PLCSCOPE_BENCH_RUNS=5 …                  runs of each measurement

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { apiJson, checkPrerequisites, generateLog, launchBrowser, makeTmpDir, startServer, tableTime, uploadFile } from './harness.mjs';

const lines = Number(process.env.PLCSCOPE_BENCH_LINES ?? 12_000_000);
const runs = Number(process.env.PLCSCOPE_BENCH_RUNS ?? 5);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `min ${s[0].toFixed(0)} ms, median ${med.toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`;
}

checkPrerequisites();
const tmp = makeTmpDir('plcscope-bench-');
const server = await startServer({ extraArgs: ['--max-upload', '64G'] });
const browser = await launchBrowser({ scrollbars: true });
try {
  let file = process.env.PLCSCOPE_BENCH_LOG;
  if (!file) {
    file = join(tmp, 'bench.log');
    const t = performance.now();
    generateLog(file, lines, 1);
    console.log(`generated ${lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const info = await uploadFile(server.url, file, 'bench.log');
  if (!process.env.PLCSCOPE_BENCH_LOG) rmSync(file, { force: true });

  const firstRows = [];
  const dragEnd = [];
  const dragTop = [];
  const scrollEnd = [];
  const scrollTop = [];
  for (let run = 0; run < runs; run++) {
    // Run 1 parses the file while the page waits on it; later runs reopen
    // the stored result (the server reuses it), so only run 1 times "parse
    // complete → first rows".
    const p = await apiJson(server.url, '/parse', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileId: info.id }) });
    const id = p.body.id;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?session=${id}&view=log`);
    // Server-side completion time, polled from here every 10 ms.
    let tComplete = null;
    let entryCount = 0;
    for (;;) {
      const s = await apiJson(server.url, `/parse/${id}/status`);
      if (s.body.status === 'complete') {
        tComplete = Date.now();
        entryCount = s.body.entryCount;
        break;
      }
      if (s.body.status === 'error') throw new Error(JSON.stringify(s.body));
      await new Promise((r) => setTimeout(r, 10));
    }
    const tRows = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const check = () => {
            const rows = document.querySelectorAll('[data-testid=log-grid] .grid-row');
            if (rows.length > 0 && !document.querySelector('[data-testid=log-grid] .grid-row[data-loading]')) resolve(Date.now());
            else requestAnimationFrame(check);
          };
          check();
        }),
    );
    if (run === 0) firstRows.push(Math.max(0, tRows - tComplete));

    // Drag the scrollbar thumb from the top to the bottom and back, with the mouse.
    const box = await (await page.$('[data-testid=log-grid]')).boundingBox();
    const x = box.x + box.width - 7;
    for (const [target, list] of [
      ['end', dragEnd],
      ['top', dragTop],
    ]) {
      await page.evaluate(() => {
        window.__benchUp = null;
        window.__benchScroll = null;
        window.addEventListener('mouseup', () => (window.__benchUp = performance.now()), { once: true, capture: true });
        document.querySelector('[data-testid=log-grid]').addEventListener('scroll', () => (window.__benchScroll = performance.now()));
      });
      // The thumb sits at the top (or bottom, above the horizontal scrollbar).
      const from = target === 'end' ? box.y + 24 : box.y + box.height - 24;
      const to = target === 'end' ? box.y + box.height + 200 : box.y - 200;
      await page.mouse.move(x, from);
      await page.mouse.down();
      await page.mouse.move(x, (from + to) / 2, { steps: 4 });
      await page.mouse.move(x, to, { steps: 4 });
      await page.mouse.up();
      const r = await page.evaluate(
        ({ target, entryCount }) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            const check = () => {
              const rows = [...document.querySelectorAll('[data-testid=log-grid] .grid-row')];
              const loading = rows.some((r) => r.dataset.loading);
              const idx = rows.map((r) => Number(r.dataset.row));
              const ok = target === 'end' ? idx[idx.length - 1] === entryCount - 1 : idx[0] === 0;
              if (rows.length > 0 && !loading && ok) {
                const first = rows[0];
                const now = performance.now();
                resolve({ ms: now - (window.__benchUp ?? t0), fromScroll: now - (window.__benchScroll ?? t0), row: Number(first.dataset.row), time: first.querySelector('.c-time')?.textContent });
              } else if (performance.now() - t0 > 10_000) resolve({ ms: NaN, row: idx[0], time: null });
              else requestAnimationFrame(check);
            };
            check();
          }),
        { target, entryCount },
      );
      if (!Number.isFinite(r.ms)) throw new Error(`drag to the ${target} did not show the ${target} rows`);
      // The row shown is the right one.
      const pageSize = 1000;
      const q = await apiJson(server.url, `/parse/${id}/entries?page=${Math.floor(r.row / pageSize) + 1}&pageSize=${pageSize}`);
      const e = q.body.entries[r.row % pageSize];
      if (tableTime(e.timestamp) !== r.time) throw new Error(`row ${r.row} shows ${r.time}, the API says ${e.timestamp}`);
      list.push(r.ms);
      (target === 'end' ? scrollEnd : scrollTop).push(r.fromScroll);
    }
    await page.close();
    console.log(`run ${run + 1}: ${run === 0 ? `first rows ${firstRows[0]} ms after complete; ` : ''}drag to end ${dragEnd.at(-1).toFixed(0)} ms; drag to top ${dragTop.at(-1).toFixed(0)} ms`);
  }
  console.log(`session: ${lines} lines`);
  console.log(`parse complete → first rows shown: ${stats(firstRows)}`);
  console.log(`scrollbar drag released at the end → correct rows: ${stats(dragEnd)}`);
  console.log(`scrollbar drag released at the top → correct rows: ${stats(dragTop)}`);
  console.log(`last scroll event at the end → correct rows: ${stats(scrollEnd)}`);
  console.log(`last scroll event at the top → correct rows: ${stats(scrollTop)}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
