import { describe, expect, it } from 'vitest';
import { applyUrl, currentQuery, isApplyingUrl, listParam, numParam, registerUrlPart } from './url_state';

describe('URL state', () => {
  it('writes the parts, keeps the parameters no part owns, applies without echo', () => {
    let value = 'x';
    let applyingSeen = false;
    registerUrlPart({
      keys: ['a'],
      write: (p) => p.set('a', value),
      apply: (p) => {
        applyingSeen = isApplyingUrl();
        value = p.get('a') ?? '';
      },
    });
    expect(currentQuery('?a=old&markA=5&markB=7')).toBe('a=x&markA=5&markB=7');
    applyUrl(new URLSearchParams('a=y'));
    expect(value).toBe('y');
    expect(applyingSeen).toBe(true);
    expect(isApplyingUrl()).toBe(false);
  });

  it('reads numbers and lists', () => {
    const p = new URLSearchParams('n=12.5&bad=x&l=a::b,c::d&e=');
    expect(numParam(p, 'n')).toBe(12.5);
    expect(numParam(p, 'bad')).toBeNull();
    expect(numParam(p, 'none')).toBeNull();
    expect(listParam(p, 'l')).toEqual(['a::b', 'c::d']);
    expect(listParam(p, 'e')).toEqual([]);
    expect(listParam(p, 'none')).toBeNull();
  });
});
