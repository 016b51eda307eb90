import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowDetail, FlowGraph } from '../api/types';

export const autosaveDelayMs = 2500;

export interface FlowDraftOptions {
  api: Pick<ApiClient, 'getFlow' | 'saveDraft'>;
  flowId: string;
  readOnly: boolean;
  /** Called once with the loaded flow, to fill the editor. */
  onLoad(detail: FlowDetail): void;
  /** The editor's graph as it is now, read when a save starts. */
  graph(): FlowGraph;
  delayMs?: number;
}

export interface FlowDraft {
  flow: FlowDetail | null;
  setFlow(flow: FlowDetail): void;
  error: ApiError | null;
  setError(error: ApiError | null): void;
  saving: boolean;
  /** Changed since the last successful save. */
  dirty: boolean;
  /** Tells the draft that the editor changed; autosave follows a pause. */
  markChanged(): void;
  /** Saves now; rejects (after showing the problem) when the server refuses. */
  save(): Promise<void>;
  saveIfDirty(): Promise<void>;
}

/**
 * Loads a flow, saves its draft on demand and after a pause in editing. Changes are counted, so a save that
 * finishes while the person kept typing leaves the draft dirty, and a refused save waits for the next change
 * instead of sending the same request again.
 */
export function useFlowDraft({ api, flowId, readOnly, onLoad, graph, delayMs = autosaveDelayMs }: FlowDraftOptions): FlowDraft {
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [changeTick, setChangeTick] = useState(0);
  const [savedTick, setSavedTick] = useState(0);
  const [failedTick, setFailedTick] = useState(-1);
  const tick = useRef(0);
  const saved = useRef(0);
  const callbacks = useRef({ onLoad, graph });
  callbacks.current = { onLoad, graph };
  const dirty = changeTick !== savedTick;

  useEffect(() => {
    let cancelled = false;
    api.getFlow(flowId).then(detail => {
      if (cancelled) return;
      callbacks.current.onLoad(detail);
      setFlow(detail);
    }).catch(e => !cancelled && setError(toApiError(e)));
    return () => {
      cancelled = true;
    };
  }, [api, flowId]);

  const markChanged = useCallback(() => {
    tick.current += 1;
    setChangeTick(tick.current);
  }, []);

  const save = useCallback(async () => {
    if (readOnly) return;
    const at = tick.current;
    setSaving(true);
    try {
      const detail = await api.saveDraft(flowId, callbacks.current.graph());
      setFlow(detail);
      saved.current = at;
      setSavedTick(at);
      setError(null);
    } catch (e) {
      setError(toApiError(e));
      setFailedTick(at);
      throw e;
    } finally {
      setSaving(false);
    }
  }, [api, flowId, readOnly]);

  const saveIfDirty = useCallback(async () => {
    if (tick.current !== saved.current) await save();
  }, [save]);

  useEffect(() => {
    if (!dirty || readOnly || saving || changeTick === failedTick) return;
    const timer = setTimeout(() => save().catch(() => undefined), delayMs);
    return () => clearTimeout(timer);
  }, [dirty, changeTick, failedTick, readOnly, saving, save, delayMs]);

  return { flow, setFlow, error, setError, saving, dirty, markChanged, save, saveIfDirty };
}
