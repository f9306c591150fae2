// A plc_debug log with known waveforms for the timing diagram's browser
// tests: one hour from 2025-09-22 13:00:00 with
// (the device is the path's last part: CNV-01 ...)
//   LINE1/CNV-01  Motor_Run  boolean, toggles every 10 s (ON at :00, :20, ...)
//   LINE1/CNV-01  Speed      float, a sine sampled every second
//   LINE1/CNV-01  State      integer 0..4, next every 30 s
//   LINE1/CNV-01  Mode       string AUTO / MANUAL / ALARM, every 5 min
//   LINE1/CNV-02  Pulse      boolean OFF, repeated every minute, with ONE
//                            sample ON at 13:30:00.000 (OFF again at .001)
//   LINE1/CNV-03  Counter    integer +1 every 50 ms (72,000 samples of noise)
// Lines are written in time order.

import { writeFileSync } from 'node:fs';

export const kStart = Date.UTC(2025, 8, 22, 13, 0, 0);
export const kEnd = kStart + 3600_000;
export const kPulseOn = Date.UTC(2025, 8, 22, 13, 30, 0, 0);
export const kPulseOff = kPulseOn + 1;
export const kPulseKey = 'CNV-02::Pulse';
export const kMotorKey = 'CNV-01::Motor_Run';
export const kSpeedKey = 'CNV-01::Speed';
export const kStateKey = 'CNV-01::State';
export const kModeKey = 'CNV-01::Mode';
export const kCounterKey = 'CNV-03::Counter';

function stamp(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function timingFixtureLines() {
  const rows = [];
  const add = (t, path, cat, sig, type, value) => rows.push([t, `${stamp(t)} [Debug] [${path}] [${cat}:${sig}] (${type}) : ${value}`]);
  for (let t = kStart; t <= kEnd; t += 10_000) {
    add(t, 'LINE1/CNV-01', 'OUTPUT', 'Motor_Run', 'Boolean', ((t - kStart) / 10_000) % 2 === 0 ? 'ON' : 'OFF');
  }
  for (let t = kStart; t <= kEnd; t += 1000) {
    const s = (t - kStart) / 1000;
    add(t, 'LINE1/CNV-01', 'ANALOG', 'Speed', 'Float', (1.5 + Math.sin(s / 60) * 1.2).toFixed(3));
  }
  for (let t = kStart; t <= kEnd; t += 30_000) {
    add(t, 'LINE1/CNV-01', 'STATUS', 'State', 'Integer', String(((t - kStart) / 30_000) % 5));
  }
  const modes = ['AUTO', 'MANUAL', 'AUTO', 'ALARM'];
  for (let t = kStart; t <= kEnd; t += 300_000) {
    add(t, 'LINE1/CNV-01', 'STATUS', 'Mode', 'String', modes[((t - kStart) / 300_000) % modes.length]);
  }
  for (let t = kStart; t <= kEnd; t += 60_000) {
    add(t === kPulseOn ? t - 1 : t, 'LINE1/CNV-02', 'INPUT', 'Pulse', 'Boolean', 'OFF');
  }
  add(kPulseOn, 'LINE1/CNV-02', 'INPUT', 'Pulse', 'Boolean', 'ON');
  add(kPulseOff, 'LINE1/CNV-02', 'INPUT', 'Pulse', 'Boolean', 'OFF');
  let n = 0;
  for (let t = kStart; t <= kEnd; t += 50) add(t, 'LINE1/CNV-03', 'COUNT', 'Counter', 'Integer', String(n++));
  rows.sort((a, b) => a[0] - b[0]);
  return rows.map((r) => r[1]);
}

export function writeTimingFixture(path) {
  writeFileSync(path, timingFixtureLines().join('\n') + '\n');
  return path;
}
