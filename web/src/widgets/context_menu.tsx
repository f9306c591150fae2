// A context menu at a screen position; closes on outside click, Escape or
// after an item runs.
import { useEffect, useRef } from 'preact/hooks';

export interface MenuItem {
  label: string;
  action: () => void;
  disabled?: boolean;
  separatorBefore?: boolean;
}

export function ContextMenu(props: { x: number; y: number; items: MenuItem[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) props.onClose();
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
    document.addEventListener('mousedown', onDown, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [props.onClose]);
  const x = Math.min(props.x, window.innerWidth - 260);
  const y = Math.min(props.y, window.innerHeight - 40 - props.items.length * 30);
  return (
    <div class="menu" ref={ref} style={{ left: `${x}px`, top: `${y}px` }} role="menu" data-testid="context-menu">
      {props.items.map((it) => (
        <>
          {it.separatorBefore && <hr />}
          <button
            role="menuitem"
            disabled={it.disabled}
            onClick={() => {
              props.onClose();
              it.action();
            }}
          >
            {it.label}
          </button>
        </>
      ))}
    </div>
  );
}
