import { act, renderHook } from '@testing-library/react';
import { useRef } from 'react';
import { useCanvasHistory } from './useCanvasHistory';

function setup() {
  return renderHook(() => {
    const state = useRef({ text: '' });
    const history = useCanvasHistory(state);
    return { state, history };
  });
}

describe('useCanvasHistory', () => {
  it('Typing into one field is one undo step, not one per keystroke', () => {
    const { result } = setup();
    const { state, history } = result.current;
    for (const text of ['h', 'he', 'hel']) {
      history.record('node1/text');
      state.current = { text };
    }
    act(() => undefined);
    expect(history.undo()).toEqual({ text: '' });
    expect(history.undo()).toBeNull();
  });

  it('Another field, or an undo, starts a new step', () => {
    const { result } = setup();
    const { state, history } = result.current;
    history.record('a');
    state.current = { text: 'a1' };
    history.record('b');
    state.current = { text: 'b1' };
    expect(history.undo()).toEqual({ text: 'a1' });
    state.current = { text: 'a1' };
    history.record('a');
    state.current = { text: 'a2' };
    expect(history.undo()).toEqual({ text: 'a1' });
  });

  it('A change without a key is always its own step and ends a typing run', () => {
    const { result } = setup();
    const { state, history } = result.current;
    history.record('a');
    state.current = { text: 'typed' };
    history.record();
    state.current = { text: 'moved' };
    history.record('a');
    state.current = { text: 'typed again' };
    expect(history.undo()).toEqual({ text: 'moved' });
    expect(history.undo()).toEqual({ text: 'typed' });
    expect(history.undo()).toEqual({ text: '' });
  });

  it('Redo gives back what undo took, and a new change drops the redo branch', () => {
    const { result } = setup();
    const { state, history } = result.current;
    history.record();
    state.current = { text: 'one' };
    const back = history.undo();
    expect(back).toEqual({ text: '' });
    state.current = back!;
    expect(history.redo()).toEqual({ text: 'one' });
    state.current = { text: 'one' };
    history.undo();
    state.current = { text: '' };
    history.record();
    expect(history.redo()).toBeNull();
  });

  it('Keeps the same functions across renders, so the canvas callbacks stay stable', () => {
    const { result, rerender } = setup();
    const first = result.current.history;
    rerender();
    expect(result.current.history).toBe(first);
  });
});
