import { describe, expect, it } from 'vitest';
import { SpeedMeter, isLoopbackHost, kCompressMinBytes, shouldCompress } from './uploader';

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
