import { describe, expect, it } from 'vitest';
import { SpeedMeter, compressDetail, compressProgress, isLoopbackHost, kCompressMinBytes, shouldCompress } from './uploader';

describe('compression choice', () => {
  const big = kCompressMinBytes * 4;
  it('compresses big text files for a remote server', () => {
    expect(shouldCompress('trace.log', big, 'plc-host.fab.local', 'auto', true)).toBe(true);
  });
  it('does not compress on loopback, small files, compressed files, or without CompressionStream', () => {
    expect(shouldCompress('trace.log', big, '127.0.0.1', 'auto', true)).toBe(false);
    expect(shouldCompress('trace.log', big, 'localhost', 'auto', true)).toBe(false);
    expect(shouldCompress('trace.log', 1000, 'remote', 'auto', true)).toBe(false);
    expect(shouldCompress('trace.log.gz', big, 'remote', 'on', true)).toBe(false);
    expect(shouldCompress('trace.log', big, 'remote', 'auto', false)).toBe(false);
    expect(shouldCompress('trace.log', big, 'remote', 'off', true)).toBe(false);
  });
  it('"on" forces it even on loopback', () => {
    expect(shouldCompress('a.txt', 10, 'localhost', 'on', true)).toBe(true);
  });
  it('recognizes loopback hosts', () => {
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.3.4.5')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});

describe('SpeedMeter', () => {
  it('measures bytes per second and time left', () => {
    const m = new SpeedMeter();
    m.sample(0, 0);
    expect(m.sample(1_000_000, 1000)).toBe(1_000_000);
    expect(m.secondsLeft(3_000_000)).toBe(3);
    m.sample(3_000_000, 2000);
    expect(m.bytesPerSec).toBeCloseTo(0.7 * 1_000_000 + 0.3 * 2_000_000);
  });
  it('has no estimate before a speed is known', () => {
    expect(new SpeedMeter().secondsLeft(10)).toBeNull();
  });
});

describe('compression progress', () => {
  const MB = 1024 * 1024;
  it('is the share of the file read, with the mean rate and the time left', () => {
    // 286 MB in 8 s: a third read after 2.667 s.
    const p = compressProgress(100 * MB, 300 * MB, 1000, 1000 + 2500);
    expect(p.percent).toBe(33);
    expect(p.bytesPerSec).toBeCloseTo((100 * MB) / 2.5);
    expect(p.secondsLeft).toBeCloseTo(5);
  });
  it('rises with every chunk and reaches 100 only at the end', () => {
    const total = 286 * MB;
    let last = -1;
    for (let read = 0; read <= total; read += 64 * 1024) {
      const { percent } = compressProgress(read, total, 0, 1000);
      expect(percent).toBeGreaterThanOrEqual(last);
      if (read < total) expect(percent).toBeLessThan(100);
      last = percent;
    }
    expect(compressProgress(total, total, 0, 8000).percent).toBe(100);
    expect(compressProgress(total, total, 0, 8000).secondsLeft).toBe(0);
  });
  it('has no rate in the first 250 ms, and copes with an empty file and over-reads', () => {
    expect(compressProgress(MB, 10 * MB, 0, 200)).toEqual({ percent: 10, bytesPerSec: 0, secondsLeft: null });
    expect(compressProgress(0, 0, 0, 1000).percent).toBe(0);
    expect(compressProgress(11 * MB, 10 * MB, 0, 1000).percent).toBe(100);
  });
  it('is written as percent, bytes, speed and time left', () => {
    expect(compressDetail(120 * MB, 286 * MB, 36 * MB, 4.6)).toBe('Compressing (gzip) 41% · 120 MB of 286 MB · 36 MB/s · 4.60 s left');
    expect(compressDetail(0, 286 * MB, 0, null)).toBe('Compressing (gzip) 0% · 0 B of 286 MB');
  });
});
