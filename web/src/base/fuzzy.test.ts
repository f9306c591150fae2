import { describe, expect, it } from 'vitest';
import { fuzzyMatch, rankFuzzy } from './fuzzy';

const names = (q: string, items: string[]) => rankFuzzy(q, items, (s) => s).map((r) => r.item);

describe('fuzzyMatch', () => {
  it('matches a subsequence case-insensitively and says where', () => {
    const m = fuzzyMatch('motrun', 'CNV-01::Motor_Run');
    expect(m).not.toBeNull();
    expect(m!.positions).toEqual([8, 9, 10, 14, 15, 16]);
    expect(fuzzyMatch('motrun', 'CNV-01::State')).toBeNull();
    expect(fuzzyMatch('nur', 'Motor_Run')).toBeNull(); // order matters
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('ab', 'a')).toBeNull();
  });

  it('picks the best alignment, not the first one', () => {
    // The greedy first 'r' is in "motor"; the word start "Run" scores higher.
    expect(fuzzyMatch('run', 'Motor_Run')!.positions).toEqual([6, 7, 8]);
    // Word starts of an acronym.
    expect(fuzzyMatch('les', 'I_LINE_EMERGENCY_STOP')!.positions).toEqual([2, 7, 17]);
  });

  it('ignores spaces in the query', () => {
    expect(fuzzyMatch('log table', 'Log Table')!.positions).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
  });
});

describe('rankFuzzy', () => {
  it('ranks a word-start prefix above a match inside a word', () => {
    expect(names('st', ['Fast', 'State'])).toEqual(['State', 'Fast']);
  });

  it('ranks consecutive letters above scattered ones', () => {
    expect(names('run', ['R_u_n', 'Motor_Run'])).toEqual(['Motor_Run', 'R_u_n']);
    expect(names('mode', ['MOTOR_DECEL', 'PORT_MODE'])).toEqual(['PORT_MODE', 'MOTOR_DECEL']);
  });

  it('ranks camelCase and separator word starts above mid-word letters', () => {
    expect(names('bs', ['jobs', 'beltSpeed', 'BELT_STOP'])).toEqual(['BELT_STOP', 'beltSpeed', 'jobs']);
  });

  it('prefers the shorter text on equal matches and keeps input order on ties', () => {
    expect(names('fit', ['Fit all lanes to the window', 'Fit all'])).toEqual(['Fit all', 'Fit all lanes to the window']);
    expect(names('', ['b', 'a', 'c'])).toEqual(['b', 'a', 'c']);
  });

  it('drops what does not match, honours the limit and the bias', () => {
    expect(names('zz', ['a', 'b'])).toEqual([]);
    expect(rankFuzzy('a', ['a1', 'a2', 'a3'], (s) => s, 2).map((r) => r.item)).toEqual(['a1', 'a2']);
    const r = rankFuzzy('state', ['CNV-01::State', 'State'], (s) => s, 10, (s) => (s.includes('::') ? 20 : 0));
    expect(r[0]!.item).toBe('CNV-01::State');
  });

  it('ranks 50,000 signal keys quickly', () => {
    const keys: string[] = [];
    for (let d = 0; d < 500; d++) for (let s = 0; s < 100; s++) keys.push(`LINE${d % 7}/DEV-${d}::SIGNAL_${s}_VALUE`);
    keys.push('LC-01::I_EMERGENCY_STOP');
    const t0 = performance.now();
    const r = rankFuzzy('estop', keys, (s) => s, 50);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r[0]!.item).toBe('LC-01::I_EMERGENCY_STOP');
  });
});
