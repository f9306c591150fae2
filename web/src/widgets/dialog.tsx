// A modal dialog: title bar, close button, Escape and backdrop click close it.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
  wide?: boolean;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        props.onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [props.onClose]);
  return (
    <div class="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class={`dialog ${props.wide ? 'wide' : ''}`} role="dialog" aria-label={props.title} data-testid={props.testId}>
        <div class="dialog-title">
          <span>{props.title}</span>
          <button class="btn ghost small" onClick={props.onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <div class="dialog-body">{props.children}</div>
      </div>
    </div>
  );
}
