import { describe, expect, it } from 'vitest';
import { applicableLanes, layoutFileName, layoutFileText, layoutSettings, parseLayoutFile, setupOf } from './layout_file';

describe('layout settings', () => {
  it('round-trips collapsed groups and the lane height', () => {
    const s = { lanes: ['A::RUN', 'B::JAM'], collapsed: ['B'], laneHeight: 36 };
    expect(setupOf(s.lanes, layoutSettings(s))).toEqual(s);
  });
  it('ignores settings it does not know or that are out of range', () => {
    expect(setupOf(['A::X'], { collapsed: ['A', 3], laneHeight: 9000, colour: 'red' })).toEqual({ lanes: ['A::X'], collapsed: ['A'] });
    expect(setupOf(['A::X', ''], undefined)).toEqual({ lanes: ['A::X'], collapsed: [] });
  });
});

describe('layout files', () => {
  it('reads back what it writes', () => {
    const s = { lanes: ['LC-01::ALARM_CODE', '104::STATE'], collapsed: [], laneHeight: 60 };
    const r = parseLayoutFile(layoutFileText('Alarm hunt', s));
    expect(r).toEqual({ name: 'Alarm hunt', setup: s });
  });
  it('names what is wrong with a file that is not a layout', () => {
    expect(parseLayoutFile('{nope')).toEqual({ error: 'The file is not JSON: not a plcscope layout.' });
    expect('error' in parseLayoutFile('{"lanes": []}')).toBe(true);
    expect(parseLayoutFile('{"kind": "plcscope-layout", "version": 9, "lanes": []}')).toEqual({
      error: "The layout file's version 9 is newer than this plcscope reads (1).",
    });
    expect(parseLayoutFile('{"kind": "plcscope-layout", "version": 1, "lanes": [1]}')).toEqual({ error: 'The layout file has no list of lanes.' });
  });
  it('makes a file name from any layout name', () => {
    expect(layoutFileName('Shift A / Störung')).toBe('Shift_A_Störung.plcscope-layout.json');
    expect(layoutFileName('///')).toBe('layout.plcscope-layout.json');
  });
});

describe('applicable lanes', () => {
  it('keeps the order, drops duplicates and counts the signals this session lacks', () => {
    const known = new Set(['A::1', 'A::2', 'B::1']);
    expect(applicableLanes(['B::1', 'Z::9', 'A::1', 'B::1', 'Y::1'], known)).toEqual({ lanes: ['B::1', 'A::1'], missing: 2 });
  });
});
