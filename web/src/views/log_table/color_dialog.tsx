// The color coding rules editor (saved in localStorage by table_state).
import { Dialog } from '../../widgets/dialog';
import { kDefaultColorRules, type ColorRule, type ColorRuleKind, type ColorTarget } from './color_rules';
import { colorRules } from './table_state';

const kKinds: { id: ColorRuleKind; label: string; hint: string }[] = [
  { id: 'severity', label: 'Value severity', hint: 'regex over the value text' },
  { id: 'category', label: 'Category', hint: 'category names, comma separated' },
  { id: 'signal', label: 'Signal name', hint: 'regex over the signal name' },
  { id: 'type', label: 'Type', hint: 'boolean, integer, float or string' },
  { id: 'device', label: 'Device', hint: 'regex over the device (empty: all)' },
];

function toHex(c: string): string {
  return /^#[0-9a-f]{6}$/i.test(c) ? c : '#ffffff';
}

export function ColorDialog({ onClose }: { onClose: () => void }) {
  const rules = colorRules.value;
  const update = (id: string, patch: Partial<ColorRule>) =>
    (colorRules.value = rules.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const move = (i: number, d: number) => {
    const j = i + d;
    if (j < 0 || j >= rules.length) return;
    const next = [...rules];
    [next[i], next[j]] = [next[j]!, next[i]!];
    colorRules.value = next;
  };
  return (
    <Dialog title="Color coding" onClose={onClose} wide testId="color-dialog">
      <p class="muted small">The first matching rule colors the row and/or the value cell, in the exact color chosen.</p>
      <table class="rules-table">
        <thead>
          <tr>
            <th />
            <th>Kind</th>
            <th>Pattern</th>
            <th>Color</th>
            <th>Applies to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={r.id}>
              <td>
                <input type="checkbox" checked={r.enabled} onChange={(e) => update(r.id, { enabled: (e.target as HTMLInputElement).checked })} title="Enabled" />
              </td>
              <td>
                <select value={r.kind} onChange={(e) => update(r.id, { kind: (e.target as HTMLSelectElement).value as ColorRuleKind })}>
                  {kKinds.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="text"
                  class="mono"
                  value={r.pattern}
                  placeholder={kKinds.find((k) => k.id === r.kind)?.hint}
                  onChange={(e) => update(r.id, { pattern: (e.target as HTMLInputElement).value })}
                />
              </td>
              <td class="nowrap">
                {r.kind === 'device' && (
                  <label class="check small">
                    <input type="checkbox" checked={r.color === 'auto'} onChange={(e) => update(r.id, { color: (e.target as HTMLInputElement).checked ? 'auto' : '#e8f0fe' })} />
                    hashed hue
                  </label>
                )}
                {r.color !== 'auto' && (
                  <input type="color" value={toHex(r.color)} onInput={(e) => update(r.id, { color: (e.target as HTMLInputElement).value })} />
                )}
              </td>
              <td>
                <select value={r.target} onChange={(e) => update(r.id, { target: (e.target as HTMLSelectElement).value as ColorTarget })}>
                  <option value="row">Row tint</option>
                  <option value="value">Value cell</option>
                  <option value="both">Both</option>
                </select>
              </td>
              <td class="nowrap">
                <button class="btn ghost small" onClick={() => move(i, -1)} title="Higher priority">
                  ↑
                </button>
                <button class="btn ghost small" onClick={() => move(i, 1)} title="Lower priority">
                  ↓
                </button>
                <button class="btn ghost small danger" onClick={() => (colorRules.value = rules.filter((x) => x.id !== r.id))} title="Delete">
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row end">
        <button class="btn" onClick={() => (colorRules.value = kDefaultColorRules)}>
          Reset to defaults
        </button>
        <button
          class="btn primary"
          onClick={() =>
            (colorRules.value = [
              ...rules,
              { id: `r${Date.now().toString(36)}`, kind: 'signal', pattern: '', color: '#e8f0fe', target: 'row', enabled: true },
            ])
          }
        >
          Add rule
        </button>
      </div>
    </Dialog>
  );
}
