import { useCallback, useMemo, useRef, type MutableRefObject } from 'react';
import { History } from '../graph/history';

export interface CanvasHistory<T> {
  /**
   * Remembers the current state before a change. With a key, a run of changes under the same key (typing into
   * one field) is one undo step; any other change, undo or redo ends the run.
   */
  record(key?: string): void;
  /** The state to go back to, or null when there is none; the current one becomes redoable. */
  undo(): T | null;
  redo(): T | null;
}

/** Undo and redo over snapshots of the editor, read from `current` at the moment of the change. */
export function useCanvasHistory<T>(current: MutableRefObject<T>, limit = 100): CanvasHistory<T> {
  const history = useRef(new History<T>(limit));
  const run = useRef<string | null>(null);

  const record = useCallback((key?: string) => {
    if (key !== undefined && run.current === key) return;
    history.current.record(current.current);
    run.current = key ?? null;
  }, [current]);

  const undo = useCallback(() => {
    run.current = null;
    return history.current.undo(current.current);
  }, [current]);

  const redo = useCallback(() => {
    run.current = null;
    return history.current.redo(current.current);
  }, [current]);

  return useMemo(() => ({ record, undo, redo }), [record, undo, redo]);
}
