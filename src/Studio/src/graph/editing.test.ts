import type { FlowGraph } from '../api/types';
import { allDescriptors } from '../testing/descriptors';
import { copySelection, pasteFragment } from './clipboard';
import { History } from './history';
import { autoLayout } from './layout';
import { indexDescriptors, toCanvas, type ActivityNode } from './mapping';
import { applyEdgeOverlay, applyNodeOverlay, problemsByNode } from './overlay';

const index = indexDescriptors(allDescriptors);

function chain(length: number): FlowGraph {
  return {
    nodes: Array.from({ length }, (_, i) => ({ id: `n${i}`, type: 'SendMessage', typeVersion: 1, inputs: { text: `step ${i}` }, position: { x: 0, y: 0 } })),
    edges: Array.from({ length: length - 1 }, (_, i) => ({ source: `n${i}`, sourcePort: 'done', target: `n${i + 1}` })),
    variables: [],
  };
}

describe('canvas editing', () => {
  it('Auto-layout puts every next step below the one before it', () => {
    const { nodes, edges } = toCanvas(chain(3), index);
    const laid = autoLayout(nodes, edges);
    expect(laid[1].position.y).toBeGreaterThan(laid[0].position.y);
    expect(laid[2].position.y).toBeGreaterThan(laid[1].position.y);
  });

  it('Auto-layout of a 200-node flow takes well under a second', () => {
    const { nodes, edges } = toCanvas(chain(200), index);
    const started = performance.now();
    const laid = autoLayout(nodes, edges);
    const elapsed = performance.now() - started;
    expect(new Set(laid.map(n => `${n.position.x},${n.position.y}`)).size).toBe(200);
    expect(elapsed).toBeLessThan(1000);
  });

  it('Marking one problem on a 200-node flow touches only that node', () => {
    const { nodes } = toCanvas(chain(200), index);
    const marked = applyNodeOverlay(nodes, { problems: problemsByNode([{ nodeId: 'n7', field: 'text', message: 'Text is required.' }]), path: [], current: null });
    const changed = marked.filter((n, i) => n !== nodes[i]);
    expect(changed.map(n => n.id)).toEqual(['n7']);
    expect(changed[0].data.problems).toEqual(['text: Text is required.']);
    expect(applyNodeOverlay(marked, { problems: problemsByNode([{ nodeId: 'n7', field: 'text', message: 'Text is required.' }]), path: [], current: null })).toBe(marked);
  });

  it('The path of a run highlights its nodes and the connections walked between them', () => {
    const { nodes, edges } = toCanvas(chain(4), index);
    const marked = applyNodeOverlay(nodes, { problems: new Map(), path: ['n0', 'n1', 'n2'], current: 'n2' });
    expect(marked.filter(n => n.data.onPath).map(n => n.id)).toEqual(['n0', 'n1', 'n2']);
    expect(marked.find(n => n.data.current)?.id).toBe('n2');
    const walked = applyEdgeOverlay(edges, ['n0', 'n1', 'n2']);
    expect(walked.filter(e => e.className === 'on-path').map(e => e.id)).toEqual(['n0:done->n1', 'n1:done->n2']);
  });

  it('Pasting copies the selected activities with new ids and their inner connections', () => {
    const { nodes, edges } = toCanvas(chain(3), index);
    const selected: ActivityNode[] = nodes.map(n => ({ ...n, selected: n.id !== 'n2' }));
    const fragment = copySelection(selected, edges)!;
    expect(fragment.nodes.map(n => n.id)).toEqual(['n0', 'n1']);
    expect(fragment.edges.map(e => e.id)).toEqual(['n0:done->n1']);
    const pasted = pasteFragment(fragment, selected);
    expect(pasted.nodes.map(n => n.id)).toEqual(['sendMessage1', 'sendMessage2']);
    expect(pasted.edges).toEqual([expect.objectContaining({ source: 'sendMessage1', target: 'sendMessage2', sourceHandle: 'done' })]);
    expect(pasted.nodes[0].position).toEqual({ x: fragment.nodes[0].position.x + 40, y: fragment.nodes[0].position.y + 40 });
    expect(pasted.nodes[0].data.inputs).toEqual({ text: 'step 0' });
    expect(pasted.nodes[0].data.inputs).not.toBe(nodes[0].data.inputs);
  });

  it('Copying with nothing selected copies nothing', () => {
    const { nodes, edges } = toCanvas(chain(2), index);
    expect(copySelection(nodes, edges)).toBeNull();
  });

  it('Undo goes back, redo comes forward, and a new change forgets the redo', () => {
    const history = new History<string>();
    history.record('a');
    history.record('b');
    expect(history.undo('c')).toBe('b');
    expect(history.undo('b')).toBe('a');
    expect(history.undo('a')).toBeNull();
    expect(history.redo('a')).toBe('b');
    history.record('b');
    expect(history.canRedo).toBe(false);
  });
});
