// Server-side figures for docs/map.md, over HTTP on loopback against the real
// server: transitions over a whole session, and map playback frames
// (/map/state, /map/carriers/changes) over an MCS session.
//   node e2e/map_server_bench.mjs <plc_debug.log> <mcs.log> [runs]
// Reports min / median / max wall times of each request (several runs).

import { join } from 'node:path';
import { apiJson, makeTmpDir, startServer } from './harness.mjs';

const [plcPath, mcsPath, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 7);
if (!plcPath || !mcsPath) {
  console.error('usage: node e2e/map_server_bench.mjs <plc_debug.log> <mcs.log> [runs]');
  process.exit(2);
}

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return `min ${s[0].toFixed(1)} / median ${s[Math.floor(s.length / 2)].toFixed(1)} / max ${s[s.length - 1].toFixed(1)} ms`;
}

async function timed(fn) {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function waitComplete(url, id) {
  const t0 = Date.now();
  for (;;) {
    const s = await apiJson(url, `/parse/${id}/status`);
    if (s.body.status === 'complete') return s.body;
    if (s.body.status === 'error') throw new Error(JSON.stringify(s.body));
    if (Date.now() - t0 > 900_000) throw new Error('parse timeout');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const post = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// One server per file: a command-line file is opened as the startup session.
async function serve(path) {
  const server = await startServer({ dataDir: join(makeTmpDir('plcscope-mapbench-'), 'data'), files: [path] });
  const t0 = Date.now();
  let id;
  while (!(id = (await apiJson(server.url, '/health')).body.startupSessionId)) {
    if (Date.now() - t0 > 60_000) throw new Error('no startup session');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { server, session: await waitComplete(server.url, id) };
}

let { server, session: plc } = await serve(plcPath);
try {
  console.log(`plc session: ${plc.entryCount} rows, parsed in ${plc.processingTimeMs} ms`);
  // Transitions: one A->B rule on a bare signal name (every device), one cycle rule.
  const rules = [
    { name: 'pusher', type: 'a_to_b', start: { signal: 'O_PUSHER_FWD', op: 'equals', value: 'true' }, end: { signal: 'O_PUSHER_FWD', op: 'equals', value: 'false' }, targetMs: 1000, toleranceMs: 200 },
  ];
  const tr = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const [ms, r] = await timed(() => apiJson(server.url, `/parse/${plc.id}/transitions`, post({ rules })));
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    count = r.body[0].stats.count;
    tr.push(ms);
  }
  console.log(`transitions, one A->B rule (${count} intervals) over ${plc.entryCount} rows: ${summary(tr)}`);

} finally {
  await server.stop();
}

let mcs;
({ server, session: mcs } = await serve(mcsPath));
try {
  console.log(`mcs session: ${mcs.entryCount} rows, parsed in ${mcs.processingTimeMs} ms`);
  // Map: the mcs session is both the carrier source and the colored session.
  await apiJson(server.url, '/map/carrier-log?view=bench', post({ sessionId: mcs.id }));
  const [firstMs] = await timed(() => apiJson(server.url, `/map/state?view=bench&session=${mcs.id}&t=${mcs.startTime}`));
  console.log(`first /map/state (builds the carrier tracker over ${mcs.entryCount} rows): ${firstMs.toFixed(1)} ms`);
  const st = [];
  let carriers = 0;
  for (let i = 0; i < runs * 5; i++) {
    const t = mcs.startTime + ((mcs.endTime - mcs.startTime) * (i + 0.5)) / (runs * 5);
    const [ms, r] = await timed(() => apiJson(server.url, `/map/state?view=bench&session=${mcs.id}&t=${t}`));
    carriers = Math.max(carriers, r.body.carriers.length);
    st.push(ms);
  }
  console.log(`/map/state (up to ${carriers} carriers present): ${summary(st)}`);
  const ch = [];
  let changes = 0;
  for (let i = 0; i < runs; i++) {
    const t = mcs.startTime + ((mcs.endTime - mcs.startTime) * (i + 0.5)) / runs;
    const [ms, r] = await timed(() => apiJson(server.url, `/map/carriers/changes?view=bench&session=${mcs.id}&start=${t}&end=${t + 120_000}`));
    changes = r.body.changes.t.length;
    ch.push(ms);
  }
  console.log(`/map/carriers/changes, 2-minute window (${changes} moves): ${summary(ch)}`);
} finally {
  await server.stop();
}
