// A lane's context menu (right click on its name) and its display dialog:
// hide, show only this lane, rename (an alias; the key stays), radix, enum
// names, analog line, colour, copy the value at the cursor (docs/ui.md
// "Timing Diagram").

import { useState } from 'preact/hooks';
import type { SignalType } from '../../api/types';
import { ContextMenu, type MenuItem } from '../../widgets/context_menu';
import { Dialog } from '../../widgets/dialog';
import { kLaneColors, kRadixes, parseEnum, type LaneDisplay, type Radix } from './lane_display';

export interface LaneMenuProps {
  x: number;
  y: number;
  laneKey: string;
  type: SignalType;
  display: LaneDisplay | undefined;
  onClose: () => void;
  onHide: () => void;
  onOnly: () => void;
  onDisplay: (d: LaneDisplay) => void;
  onEdit: () => void;
  onCopy: () => void;
}

export function LaneMenu(p: LaneMenuProps) {
  const d = p.display ?? {};
  const items: MenuItem[] = [
    { label: 'Rename / display…', action: p.onEdit },
  ];
  if (p.type === 'integer') {
    const radix = d.radix ?? 'dec';
    kRadixes.forEach((r, i) =>
      items.push({ label: `${radix === r.id ? '✓' : '\u2003'} ${r.label}`, action: () => p.onDisplay({ ...d, radix: r.id }), separatorBefore: i === 0 }),
    );
    items.push({ label: `${d.analog ? '✓' : '\u2003'} Analog line`, action: () => p.onDisplay({ ...d, analog: !d.analog }) });
  }
  items.push(
    { label: 'Copy value at cursor', action: p.onCopy, separatorBefore: true },
    { label: 'Show only this lane', action: p.onOnly, separatorBefore: true },
    { label: 'Hide lane', action: p.onHide },
  );
  return <ContextMenu x={p.x} y={p.y} items={items} onClose={p.onClose} />;
}

/** The lane's name, radix, enum names, analog line and colour in one form. */
export function LaneDisplayDialog(p: {
  laneKey: string;
  name: string;
  type: SignalType;
  display: LaneDisplay | undefined;
  onClose: () => void;
  onSave: (d: LaneDisplay) => void;
}) {
  const d = p.display ?? {};
  const [alias, setAlias] = useState(d.alias ?? '');
  const [radix, setRadix] = useState<Radix>(d.radix ?? 'dec');
  const [enumText, setEnumText] = useState(d.enum ?? '');
  const [analog, setAnalog] = useState(d.analog === true);
  const [color, setColor] = useState(d.color ?? '');
  const isInt = p.type === 'integer';
  const errors = isInt ? parseEnum(enumText).errors : [];
  const save = (): void => {
    const out: LaneDisplay = { ...d, alias, color };
    if (isInt) {
      out.radix = radix;
      out.enum = enumText;
      out.analog = analog;
    }
    p.onSave(out);
    p.onClose();
  };
  return (
    <Dialog title={`Lane: ${p.laneKey}`} onClose={p.onClose} testId="lane-display-dialog">
      <form
        class="tl-lanedlg"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          <span>Name</span>
          <input type="text" value={alias} placeholder={p.name} maxLength={100} autoFocus data-testid="lane-alias" onInput={(e) => setAlias((e.target as HTMLInputElement).value)} />
        </label>
        {isInt && (
          <>
            <label>
              <span>Display</span>
              <select value={radix} data-testid="lane-radix" onChange={(e) => setRadix((e.target as HTMLSelectElement).value as Radix)}>
                {kRadixes.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>Enum names</span>
              <input type="text" value={enumText} placeholder="0=IDLE,1=RUN,2=ERR" data-testid="lane-enum" onInput={(e) => setEnumText((e.target as HTMLInputElement).value)} />
            </label>
            {errors.length > 0 && (
              <div class="tl-lanedlg-err" data-testid="lane-enum-errors">
                {errors.slice(0, 3).map((e) => (
                  <div key={e}>{e} (skipped)</div>
                ))}
              </div>
            )}
            <label class="tl-lanedlg-check">
              <input type="checkbox" checked={analog} data-testid="lane-analog" onChange={(e) => setAnalog((e.target as HTMLInputElement).checked)} />
              <span>Analog line (y-scale: min to max of the visible data)</span>
            </label>
          </>
        )}
        <div class="tl-lanedlg-colors" role="radiogroup" aria-label="Colour">
          <span>Colour</span>
          <button type="button" class={`tl-swatch none ${color === '' ? 'on' : ''}`} title="Theme colour" onClick={() => setColor('')} data-testid="lane-color-none">
            ∅
          </button>
          {kLaneColors.map((c) => (
            <button
              type="button"
              key={c.id}
              class={`tl-swatch ${color === c.id ? 'on' : ''}`}
              style={{ background: c.css }}
              title={c.label}
              aria-label={c.label}
              onClick={() => setColor(c.id)}
              data-testid={`lane-color-${c.id}`}
            />
          ))}
        </div>
        <div class="tl-lanedlg-buttons">
          <button type="button" class="btn small ghost" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" class="btn small primary" data-testid="lane-display-save">
            Apply
          </button>
        </div>
      </form>
    </Dialog>
  );
}
