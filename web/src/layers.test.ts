// The UI's layers point one way: app > views > widgets > state > api > base.
// A module may import its own layer or one below it, never one above; a view
// (views/<name>/) may import its own folder but never another view. The layer
// of a file is its first folder under src/ (files directly in src/, like
// main.tsx, are the app). This test reads every import of every .ts/.tsx file
// under src/ (tests included) and fails naming each one that runs upward.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const kLayers = ['base', 'api', 'state', 'widgets', 'views', 'app'] as const;
type Layer = (typeof kLayers)[number];

interface Place {
  layer: Layer;
  /** For views: the view's folder ("timing"); '' otherwise. */
  view: string;
}

/** The layer of a path relative to src/ ("views/map/map_view.tsx"), or null when outside every layer. */
export function placeOf(path: string): Place | null {
  const parts = path.split('/');
  if (parts.length === 1) return { layer: 'app', view: '' };
  const top = parts[0] as Layer;
  if (!kLayers.includes(top)) return null;
  return { layer: top, view: top === 'views' ? (parts[1] ?? '') : '' };
}

/** Relative module specifiers a source text imports (static, type-only, re-exports and dynamic). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bimport\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?|\bexport\s+(?:type\s+)?[^'";]*?\s+from\s+|\bimport\s*\(\s*)['"](\.[^'"]*)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** Why `from` (relative to src/) may not import `spec`, or null when it may. */
export function violation(from: string, spec: string): string | null {
  const target = join(dirname(from), spec).split(sep).join('/');
  const a = placeOf(from);
  const b = placeOf(target);
  if (target.startsWith('..')) return `${from} imports ${spec}, outside src/`;
  if (!a || !b) return `${from} imports ${spec}: ${!a ? from : target} is in no layer (${kLayers.join(', ')})`;
  const ia = kLayers.indexOf(a.layer);
  const ib = kLayers.indexOf(b.layer);
  if (ib > ia) return `${from} (${a.layer}) imports ${spec} (${b.layer}), a layer above it`;
  if (a.layer === 'views' && b.layer === 'views' && a.view !== b.view) {
    return `${from} (view ${a.view}) imports ${spec} of another view (${b.view})`;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('layers', () => {
  it('finds every kind of relative import', () => {
    // Written with ` for the quote so that this file's own scan does not see them.
    const text = [
      'import { a } from `./a`;',
      'import type { B } from `../b`;',
      'import {\n  c,\n  d,\n} from `../../c`;',
      'import `./side.css`;',
      'export { e } from `./e`;',
      'const f = await import(`./f`);',
      'import { g } from `preact`;',
    ]
      .join('\n')
      .replaceAll('`', "'");
    expect(importsOf(text)).toEqual(['./a', '../b', '../../c', './side.css', './e', './f']);
  });

  it('allows imports down or level, and names an upward one or one into another view', () => {
    expect(violation('views/map/map_view.tsx', '../../state/session')).toBeNull();
    expect(violation('views/map/map_view.tsx', './carriers')).toBeNull();
    expect(violation('widgets/signal_sidebar.tsx', '../state/catalog')).toBeNull();
    expect(violation('app/views.ts', '../views/map/map_view')).toBeNull();
    expect(violation('main.tsx', './app/shell')).toBeNull();
    expect(violation('state/catalog.ts', '../widgets/signal_tree')).toMatch(/state.*widgets.*a layer above/);
    expect(violation('widgets/signal_sidebar.tsx', '../app/state')).toMatch(/a layer above/);
    expect(violation('base/format.ts', '../api/types')).toMatch(/\(base\).*\(api\)/);
    expect(violation('views/home/recent_files.tsx', '../log_table/format')).toMatch(/another view \(log_table\)/);
    expect(violation('api/client.ts', '../../e2e/harness')).toMatch(/outside src/);
  });

  it('holds for every module under src/', () => {
    const src = dirname(fileURLToPath(import.meta.url));
    const bad: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = relative(src, file).split(sep).join('/');
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const why = violation(from, spec);
        if (why) bad.push(why);
      }
    }
    expect(bad).toEqual([]);
    expect(sourceFiles(resolve(src, 'views')).length).toBeGreaterThan(10);
  });
});
