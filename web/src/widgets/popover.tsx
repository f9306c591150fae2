// A button that opens a popover panel below it; closes on outside click or
// Escape.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export function PopoverButton(props: {
  label: ComponentChildren;
  title?: string;
  active?: boolean;
  testId?: string;
  align?: 'left' | 'right';
  children: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div class="popover-anchor" ref={ref}>
      <button
        class={`btn ${props.active ? 'on' : ''}`}
        title={props.title}
        data-testid={props.testId}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {props.label}
        <span class="chev">▾</span>
      </button>
      {open && (
        <div class="popover" style={props.align === 'right' ? { right: 0 } : { left: 0 }}>
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
