// Actions the command palette (Ctrl+K, app/command_palette.tsx) offers.
// Views register theirs at module load, like their Help shortcuts; a
// command runs from any view (one that needs its view switches to it). The
// palette itself lives in the shell. Module singleton.

export interface Command {
  /** Stable id, unique across views ("timing.fit"). */
  readonly id: string;
  /** What the palette shows and matches ("Fit all"). */
  readonly label: string;
  /** The view or area it belongs to ("Timing Diagram"). */
  readonly scope: string;
  /** The shortcut that does the same, shown beside it. */
  readonly keys?: string;
  /** False hides it for now (nothing to undo, no lanes to export). */
  readonly enabled?: () => boolean;
  readonly run: () => void;
}

const list: Command[] = [];

export function registerCommands(items: readonly Command[]): void {
  for (const c of items) {
    const i = list.findIndex((x) => x.id === c.id);
    if (i >= 0) list[i] = c;
    else list.push(c);
  }
}

/** The commands that can run now, in registration order. */
export function commands(): readonly Command[] {
  return list.filter((c) => c.enabled?.() ?? true);
}
