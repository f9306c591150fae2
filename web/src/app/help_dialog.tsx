// The Help dialog: every keyboard shortcut, grouped by view.
import { shortcuts } from '../state/shortcuts';
import { Dialog } from '../widgets/dialog';

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const groups = new Map<string, { keys: string; action: string }[]>();
  for (const s of shortcuts()) {
    const g = groups.get(s.scope) ?? [];
    g.push(s);
    groups.set(s.scope, g);
  }
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="help-dialog">
      {[...groups].map(([scope, items]) => (
        <section key={scope} class="help-group">
          <h4>{scope}</h4>
          <table class="help-table">
            <tbody>
              {items.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <kbd>{s.keys}</kbd>
                  </td>
                  <td>{s.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Dialog>
  );
}
