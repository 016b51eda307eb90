import { renderHook } from '@testing-library/react';
import { vi } from 'vitest';
import { useDesignerShortcuts } from './useDesignerShortcuts';

function actions() {
  return { save: vi.fn(), undo: vi.fn(), redo: vi.fn(), copy: vi.fn(), paste: vi.fn() };
}

function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body) {
  const event = new KeyboardEvent('keydown', { key, ctrlKey: true, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('useDesignerShortcuts', () => {
  it('Maps Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y, Ctrl+C and Ctrl+V to the canvas actions', () => {
    const a = actions();
    renderHook(() => useDesignerShortcuts(a, false));
    expect(press('z').defaultPrevented).toBe(true);
    press('z', { shiftKey: true });
    press('y');
    press('c');
    press('v', { ctrlKey: false, metaKey: true });
    expect(a.undo).toHaveBeenCalledTimes(1);
    expect(a.redo).toHaveBeenCalledTimes(2);
    expect(a.copy).toHaveBeenCalledTimes(1);
    expect(a.paste).toHaveBeenCalledTimes(1);
  });

  it('Leaves a text field its own undo and copy, but Ctrl+S saves from there too', () => {
    const a = actions();
    renderHook(() => useDesignerShortcuts(a, false));
    const input = document.createElement('input');
    document.body.appendChild(input);
    expect(press('z', {}, input).defaultPrevented).toBe(false);
    press('c', {}, input);
    expect(press('s', {}, input).defaultPrevented).toBe(true);
    expect(a.undo).not.toHaveBeenCalled();
    expect(a.copy).not.toHaveBeenCalled();
    expect(a.save).toHaveBeenCalledTimes(1);
    input.remove();
  });

  it('Does nothing but save in a read-only designer, and nothing without Ctrl', () => {
    const a = actions();
    renderHook(() => useDesignerShortcuts(a, true));
    press('z');
    press('v');
    press('z', { ctrlKey: false });
    expect(a.undo).not.toHaveBeenCalled();
    expect(a.paste).not.toHaveBeenCalled();
  });

  it('Calls the latest actions after a re-render and stops listening when unmounted', () => {
    const first = actions();
    const second = actions();
    const { rerender, unmount } = renderHook(({ a }) => useDesignerShortcuts(a, false), { initialProps: { a: first } });
    rerender({ a: second });
    press('z');
    expect(first.undo).not.toHaveBeenCalled();
    expect(second.undo).toHaveBeenCalledTimes(1);
    unmount();
    press('z');
    expect(second.undo).toHaveBeenCalledTimes(1);
  });
});
