// The focused lane (the one N / Shift+N and the value search step through)
// in the address: `lane=<device::signal>`, so that it survives every view
// switch the other state does: tabs, the Workspace, Back/Forward, a reload
// on another view, a copied link. A link's lane waits here until the
// diagram of its session exists. Module singleton; browser main thread only.

import { registerUrlPart } from '../../state/url_state';
import { sessionId } from '../../state/session';

interface Focusable {
  readonly focusSig: { peek(): string | null };
  setFocus(key: string | null): void;
}

let pending: { id: string | null; key: string } | null = null;
let current: () => { id: string; ctl: Focusable } | null = () => null;

/** The diagram of a session was created: takes the lane its link named. */
export function applyPendingLaneFocus(ctl: Focusable, id: string): void {
  const p = pending;
  if (!p || (p.id !== null && p.id !== id)) return;
  pending = null;
  ctl.setFocus(p.key);
}

/** Registers the `lane` parameter; `diagram` returns the diagram of the open session, if any. */
export function registerLaneFocusUrl(diagram: () => { id: string; ctl: Focusable } | null): void {
  current = diagram;
  registerUrlPart({
    keys: ['lane'],
    write(p) {
      const id = sessionId.peek();
      if (pending && (pending.id === null || pending.id === id)) {
        p.set('lane', pending.key);
        return;
      }
      const d = current();
      const key = d && d.id === id ? d.ctl.focusSig.peek() : null;
      if (key) p.set('lane', key);
    },
    apply(p) {
      const key = p.get('lane');
      if (!key) return;
      const d = current();
      const id = p.get('session');
      if (d && d.id === sessionId.peek() && (id === null || id === d.id)) {
        pending = null;
        d.ctl.setFocus(key);
      } else pending = { id, key };
    },
  });
}
