import { act, renderHook, waitFor } from '@testing-library/react';
import { vi } from 'vitest';
import { ApiError } from '../api/problem';
import type { FlowDetail, FlowGraph } from '../api/types';
import { useFlowDraft, type FlowDraftOptions } from './useFlowDraft';

const graph: FlowGraph = { nodes: [], edges: [], variables: [], trigger: { type: 'Manual', inputs: {} }, start: null };
const detail = (name = 'Menu'): FlowDetail => ({
  id: 'f1', name, priority: 0, publishedVersion: null, hasUnpublishedChanges: true, runningInstances: 0, updatedAt: '2026-01-01T00:00:00Z', graph,
});

function setup(overrides: Partial<FlowDraftOptions> = {}) {
  const api = {
    getFlow: vi.fn(async () => detail()),
    saveDraft: vi.fn(async (_id: string, _g: FlowGraph) => detail('Saved')),
  };
  const onLoad = vi.fn();
  const hook = renderHook(() => useFlowDraft({ api, flowId: 'f1', readOnly: false, onLoad, graph: () => graph, delayMs: 30, ...overrides }));
  return { api, onLoad, ...hook };
}

describe('useFlowDraft', () => {
  it('Loads the flow once and hands it to the editor', async () => {
    const { result, onLoad, rerender, api } = setup();
    await waitFor(() => expect(result.current.flow?.name).toBe('Menu'));
    rerender();
    expect(onLoad).toHaveBeenCalledTimes(1);
    expect(api.getFlow).toHaveBeenCalledTimes(1);
    expect(result.current.dirty).toBe(false);
  });

  it('Saves on its own after a pause in editing, once for a burst of changes', async () => {
    const { result, api } = setup();
    await waitFor(() => expect(result.current.flow).not.toBeNull());
    act(() => {
      result.current.markChanged();
      result.current.markChanged();
      result.current.markChanged();
    });
    expect(result.current.dirty).toBe(true);
    await waitFor(() => expect(result.current.dirty).toBe(false));
    expect(api.saveDraft).toHaveBeenCalledTimes(1);
    expect(api.saveDraft).toHaveBeenCalledWith('f1', graph);
    expect(result.current.flow?.name).toBe('Saved');
  });

  it('After a refused save shows the problem and waits for the next change instead of retrying', async () => {
    const refused = new ApiError(400, 'The request was not valid', 'Graph too large');
    const api = { getFlow: vi.fn(async () => detail()), saveDraft: vi.fn(async () => { throw refused; }) };
    const { result } = setup({ api });
    await waitFor(() => expect(result.current.flow).not.toBeNull());
    act(() => result.current.markChanged());
    await waitFor(() => expect(result.current.error?.detail).toBe('Graph too large'));
    await new Promise(r => setTimeout(r, 120));
    expect(api.saveDraft).toHaveBeenCalledTimes(1);
    expect(result.current.dirty).toBe(true);
    act(() => result.current.markChanged());
    await waitFor(() => expect(api.saveDraft).toHaveBeenCalledTimes(2));
  });

  it('A change made while a save is on its way leaves the draft unsaved', async () => {
    let finish: (d: FlowDetail) => void = () => undefined;
    const api = { getFlow: vi.fn(async () => detail()), saveDraft: vi.fn(() => new Promise<FlowDetail>(r => { finish = r; })) };
    const { result } = setup({ api, delayMs: 60_000 });
    await waitFor(() => expect(result.current.flow).not.toBeNull());
    act(() => result.current.markChanged());
    let saving!: Promise<void>;
    act(() => {
      saving = result.current.save();
    });
    act(() => result.current.markChanged());
    await act(async () => {
      finish(detail());
      await saving;
    });
    expect(result.current.dirty).toBe(true);
  });

  it('saveIfDirty saves only when something changed; a read-only draft never saves', async () => {
    const { result, api } = setup({ delayMs: 60_000 });
    await waitFor(() => expect(result.current.flow).not.toBeNull());
    await act(() => result.current.saveIfDirty());
    expect(api.saveDraft).not.toHaveBeenCalled();
    act(() => result.current.markChanged());
    await act(() => result.current.saveIfDirty());
    expect(api.saveDraft).toHaveBeenCalledTimes(1);

    const readOnly = setup({ readOnly: true, delayMs: 10 });
    await waitFor(() => expect(readOnly.result.current.flow).not.toBeNull());
    act(() => readOnly.result.current.markChanged());
    await act(() => readOnly.result.current.save());
    expect(readOnly.api.saveDraft).not.toHaveBeenCalled();
  });
});
