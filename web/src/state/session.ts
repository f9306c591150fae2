// The open session, held in Preact signals (module singletons; the session
// lifecycle in lifecycle.ts writes them, views read them):
//   sessionId        the open parse session (also in the URL as ?session=)
//   session          its latest ParseSession answer (status, progress, counts)
//   sessionFiles     FileInfo of each of its files
//   serverStatus     the health poll's last answer

import { computed, signal } from '@preact/signals';
import type { FileInfo, ParseSession } from '../api/types';

export type ServerStatus = 'unknown' | 'ok' | 'down';
export const serverStatus = signal<ServerStatus>('unknown');
export const serverVersion = signal<string>('');

export const sessionId = signal<string | null>(null);
export const session = signal<ParseSession | null>(null);
/** FileInfo of each file of the open session, in session order. */
export const sessionFiles = signal<FileInfo[]>([]);

export const sessionName = computed<string>(() => {
  const files = sessionFiles.value;
  if (files.length > 1) return `${files.length} files merged`;
  if (files.length === 1) return files[0]!.name;
  const s = session.value;
  if (s && s.fileIds && s.fileIds.length > 1) return `${s.fileIds.length} files merged`;
  return s ? s.fileId : '';
});

export const isMerged = computed<boolean>(() => (session.value?.fileIds?.length ?? 1) > 1);
export const isParsing = computed<boolean>(() => {
  const st = session.value?.status;
  return st === 'parsing' || st === 'pending';
});
