import { describe, expect, it } from 'vitest';
import { sessionStatusLine } from './session_status';

describe('the session status line', () => {
  it('says a stored result was opened, not parsed again', () => {
    const done = { status: 'complete' as const, progress: 100, processingTimeMs: 40_700 };
    expect(sessionStatusLine(done)).toMatch(/^Parsed in /);
    expect(sessionStatusLine({ ...done, reopened: false })).toMatch(/^Parsed in /);
    const again = sessionStatusLine({ ...done, reopened: true });
    expect(again).toMatch(/^Opened the stored result at once \(parsed earlier in .+\)$/);
    expect(again).not.toMatch(/^Parsed in/);
  });
  it('shows progress while parsing and the error after a failure', () => {
    expect(sessionStatusLine({ status: 'parsing', progress: 42.7, processingTimeMs: 0 })).toBe('Parsing… 42%');
    expect(sessionStatusLine({ status: 'error', progress: 10, processingTimeMs: 0, error: 'bad file' })).toBe('bad file');
  });
});
