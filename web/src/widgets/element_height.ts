// The height of an element in CSS px, kept up to date by a ResizeObserver.
// `mounted` re-attaches it when the element comes and goes with a condition.

import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';

export function useElementHeight(ref: RefObject<HTMLElement | null>, mounted = true): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [mounted]);
  return height;
}
