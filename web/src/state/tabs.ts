// Which view is showing: the view ids in display order and the active one.
// The shell's view table (src/app/views.ts) maps each id to its component;
// views switch by writing activeTab. Module singleton.

import { signal } from '@preact/signals';

export type TabId = 'home' | 'workspace' | 'log' | 'timing' | 'transitions' | 'map' | 'fleet';

/** 'workspace' shows the timing diagram and the log table together (state/workspace.ts). */
export const kTabIds: readonly TabId[] = ['home', 'workspace', 'log', 'timing', 'transitions', 'map', 'fleet'];

export function isTabId(s: string | null | undefined): s is TabId {
  return !!s && (kTabIds as readonly string[]).includes(s);
}

/** The active view. */
export const activeTab = signal<TabId>('home');
