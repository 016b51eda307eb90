import { useEffect, useRef } from 'react';

export interface DesignerShortcutActions {
  save(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * Ctrl/Cmd+S saves anywhere (also while typing); undo, redo, copy and paste act on the canvas only, so a text
 * field keeps its own. A read-only designer only saves (which does nothing there).
 */
export function useDesignerShortcuts(actions: DesignerShortcutActions, readOnly: boolean): void {
  // The listener is added once; the latest actions are read when a key is pressed.
  const latest = useRef(actions);
  latest.current = actions;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const act = latest.current;
      if (mod && key === 's') {
        e.preventDefault();
        act.save();
        return;
      }
      if (isEditable(e.target) || readOnly || !mod) return;
      if (key === 'z' && !e.shiftKey) act.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') act.redo();
      else if (key === 'c') act.copy();
      else if (key === 'v') act.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly]);
}
