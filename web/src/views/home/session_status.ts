// The one-line status of the loaded session on Home: parsing progress, how
// long the parse took (or that a stored result was opened), or the error.
// Pure.

import type { ParseSession } from '../../api/types';
import { formatDuration } from '../../base/format';

export function sessionStatusLine(s: Pick<ParseSession, 'status' | 'progress' | 'processingTimeMs' | 'reopened' | 'error'>): string {
  if (s.status === 'parsing' || s.status === 'pending') return `Parsing… ${Math.floor(s.progress)}%`;
  if (s.status !== 'complete') return s.error ?? '';
  // A stored result opens at once: its time is the first parse's, not this one's.
  if (s.reopened) return `Opened the stored result at once (parsed earlier in ${formatDuration(s.processingTimeMs)})`;
  return `Parsed in ${formatDuration(s.processingTimeMs)}`;
}
