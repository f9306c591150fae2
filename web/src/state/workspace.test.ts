import { describe, expect, it } from 'vitest';
import { applyUrl, currentQuery } from './url_state';
import { activeTab, isTabId } from './tabs';
import { clampSplit, formatSplit, kDefaultSplit, kMaxSplit, kMinBottomPx, kMinSplit, kMinTopPx, parseSplit, splitRatio } from './workspace';

describe('workspace split ratio', () => {
  it('stays in [kMinSplit, kMaxSplit] and rounds to 3 decimals', () => {
    expect(clampSplit(0.5)).toBe(0.5);
    expect(clampSplit(0)).toBe(kMinSplit);
    expect(clampSplit(-3)).toBe(kMinSplit);
    expect(clampSplit(1)).toBe(kMaxSplit);
    expect(clampSplit(0.123456)).toBe(0.123 < kMinSplit ? kMinSplit : 0.123);
    expect(clampSplit(0.45678)).toBe(0.457);
    expect(clampSplit(Number.NaN)).toBe(kDefaultSplit);
    expect(clampSplit(Number.POSITIVE_INFINITY)).toBe(kDefaultSplit);
  });

  it('leaves each pane its shortest height once the split height is known', () => {
    // 800 px: the diagram needs 200 (0.25), the table 150 (up to 0.8125).
    expect(clampSplit(0.2, 800)).toBe(0.25);
    expect(clampSplit(0.84, 800)).toBe(Math.round((1 - kMinBottomPx / 800) * 1000) / 1000);
    expect(clampSplit(0.6, 800)).toBe(0.6);
    // Taller: the fixed bounds hold.
    expect(clampSplit(0.05, 4000)).toBe(kMinSplit);
    // Too short for both minima: the middle.
    expect(clampSplit(0.9, kMinTopPx + kMinBottomPx - 10)).toBe(0.5);
    // The pixel minima hold for every ratio asked.
    for (let r = 0; r <= 1; r += 0.05) {
      const c = clampSplit(r, 700);
      expect(c * 700).toBeGreaterThanOrEqual(kMinTopPx - 0.5);
      expect((1 - c) * 700).toBeGreaterThanOrEqual(kMinBottomPx - 0.5);
    }
  });

  it('parses the split parameter: a clamped ratio, or null', () => {
    expect(parseSplit('0.4')).toBe(0.4);
    expect(parseSplit('0.99')).toBe(kMaxSplit);
    expect(parseSplit('abc')).toBeNull();
    expect(parseSplit('')).toBeNull();
    expect(parseSplit(null)).toBeNull();
    expect(formatSplit(0.41234)).toBe('0.412');
    expect(parseSplit(formatSplit(0.6667))).toBe(0.667);
  });
});

describe('workspace in the address', () => {
  it('is a view of its own', () => {
    expect(isTabId('workspace')).toBe(true);
  });

  it('writes split while the Workspace shows and applies it back', () => {
    activeTab.value = 'workspace';
    splitRatio.value = 0.42;
    expect(new URLSearchParams(currentQuery('')).get('split')).toBe('0.42');
    applyUrl(new URLSearchParams('split=0.3'));
    expect(splitRatio.value).toBe(0.3);
    expect(new URLSearchParams(currentQuery('?split=0.7')).get('split')).toBe('0.3');
    // A bad or missing value keeps the ratio.
    applyUrl(new URLSearchParams('split=x'));
    applyUrl(new URLSearchParams(''));
    expect(splitRatio.value).toBe(0.3);
    // Out of bounds: clamped.
    applyUrl(new URLSearchParams('split=0.01'));
    expect(splitRatio.value).toBe(kMinSplit);
  });

  it('leaves split out on the other views', () => {
    activeTab.value = 'log';
    splitRatio.value = 0.5;
    expect(new URLSearchParams(currentQuery('')).has('split')).toBe(false);
    activeTab.value = 'home';
  });
});
