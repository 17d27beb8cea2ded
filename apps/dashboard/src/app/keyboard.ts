import { useEffect, useRef } from 'react';

/** True when the key went to a text field (shortcuts must not steal typing). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (t === null) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

/** Page-wide single-key shortcuts (ignored while typing or with Ctrl/Meta/Alt). */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  useEffect(() => {
    ref.current = map;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e) || e.defaultPrevented) return;
      const handler = ref.current[e.key];
      if (handler !== undefined) {
        e.preventDefault();
        handler(e);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
