// State of the shell that views share: the colour theme (saved) and the
// dismissible error banner. Module singletons in Preact signals.

import { effect, signal } from '@preact/signals';
import { loadJson, saveJson } from '../base/storage';

export type Theme = 'light' | 'dark';

export const theme = signal<Theme>(loadJson<Theme>('plcscope.theme', 'light'));
effect(() => saveJson('plcscope.theme', theme.value));

/** The dismissible error banner: the server's sentence, or null. */
export const errorMessage = signal<string | null>(null);
export function showError(e: unknown): void {
  if (e instanceof Error && e.name === 'AbortError') return;
  errorMessage.value = e instanceof Error ? e.message : String(e);
}
