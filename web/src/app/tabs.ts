// The tab registry: the views of the shell, in display order. A view module
// registers itself by calling registerTab() from src/app/views.ts; the shell
// renders the registry. Not thread-related; module singleton.

import type { ComponentType } from 'preact';
import { signal } from '@preact/signals';

export type TabId = 'home' | 'log' | 'timing' | 'transitions' | 'map';

export interface TabSpec {
  id: TabId;
  label: string;
  /** True when the view shows session data (gets the parsing badge). */
  needsSession: boolean;
  component: ComponentType;
  /** Shortcut shown in Help, e.g. "Alt+2". */
  shortcut?: string;
}

const registry: TabSpec[] = [];

export function registerTab(spec: TabSpec): void {
  const i = registry.findIndex((t) => t.id === spec.id);
  if (i >= 0) registry[i] = spec;
  else registry.push(spec);
}

export function tabs(): readonly TabSpec[] {
  return registry;
}

export const kTabIds: readonly TabId[] = ['home', 'log', 'timing', 'transitions', 'map'];

export function isTabId(s: string | null | undefined): s is TabId {
  return !!s && (kTabIds as readonly string[]).includes(s);
}

/** The active view. */
export const activeTab = signal<TabId>('home');
