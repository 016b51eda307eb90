import type { FlowGraph } from '../api/types';
import { allDescriptors, askQuestion } from '../testing/descriptors';
import { indexDescriptors, newNodeId, outcomesFor, pruneDanglingEdges, toCanvas, toGraph, defaultInputs } from './mapping';

const index = indexDescriptors(allDescriptors);

const graph: FlowGraph = {
  nodes: [
    { id: 'greet', type: 'SendMessage', typeVersion: 1, inputs: { text: 'Hi {{ contact.name }}' }, position: { x: 10, y: 20 } },
    { id: 'ask', type: 'AskQuestion', typeVersion: 1, inputs: { question: 'Sales or support?', choices: ['Sales', 'Support'] }, position: { x: 10, y: 180 } },
    { id: 'route', type: 'Switch', typeVersion: 1, inputs: { cases: [{ name: 'vip', condition: 'contact.vip' }] }, position: { x: 300, y: 340 } },
    { id: 'handoff', type: 'HandOff', typeVersion: 2, inputs: { team: 't1', priority: 'urgent' }, position: { x: -120.4, y: 500.6 } },
  ],
  edges: [
    { source: 'greet', sourcePort: 'done', target: 'ask' },
    { source: 'ask', sourcePort: 'Sales', target: 'route' },
    { source: 'ask', sourcePort: 'Support', target: 'handoff' },
    { source: 'route', sourcePort: 'vip', target: 'handoff' },
    { source: 'route', sourcePort: 'default', target: 'handoff' },
  ],
  variables: [{ name: 'answer', type: 'string' }],
};

describe('graph <-> flow JSON', () => {
  it('A flow survives a trip through the canvas unchanged', () => {
    const canvas = toCanvas(graph, index);
    const back = toGraph(canvas.nodes, canvas.edges, canvas.variables);
    expect(back).toEqual({
      ...graph,
      nodes: graph.nodes.map(n => (n.id === 'handoff' ? { ...n, position: { x: -120, y: 501 } } : n)),
    });
  });

  it('Nodes keep their positions, type versions and inputs on the canvas', () => {
    const { nodes } = toCanvas(graph, index);
    const handoff = nodes.find(n => n.id === 'handoff')!;
    expect(handoff.position).toEqual({ x: -120.4, y: 500.6 });
    expect(handoff.data.typeVersion).toBe(2);
    expect(handoff.data.inputs).toEqual({ team: 't1', priority: 'urgent' });
    expect(handoff.data.label).toBe('Hand off');
  });

  it('Connections land on the outcome port they leave from', () => {
    const { edges } = toCanvas(graph, index);
    expect(edges.find(e => e.target === 'handoff' && e.source === 'ask')?.sourceHandle).toBe('Support');
  });

  it('A question shows one port per choice, then its extra outcomes', () => {
    const { nodes } = toCanvas(graph, index);
    expect(nodes.find(n => n.id === 'ask')!.data.outcomes).toEqual(['Sales', 'Support', 'invalid', 'timeout']);
    expect(nodes.find(n => n.id === 'route')!.data.outcomes).toEqual(['vip', 'default']);
    expect(nodes.find(n => n.id === 'greet')!.data.outcomes).toEqual(['done']);
  });

  it('Choices given as objects name their ports by title', () => {
    expect(outcomesFor(askQuestion, { choices: [{ title: 'Billing', payload: 'b' }, { title: ' ' }] })).toEqual(['Billing', 'invalid', 'timeout']);
  });

  it('An activity the server no longer describes keeps the ports its connections use', () => {
    const { nodes, edges } = toCanvas({ nodes: [{ id: 'x', type: 'Gone', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 } }, { id: 'y', type: 'Gone', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 } }], edges: [{ source: 'x', sourcePort: 'left', target: 'y' }], variables: [] }, index);
    expect(nodes[0].data.unknown).toBe(true);
    expect(nodes[0].data.outcomes).toEqual(['left']);
    expect(pruneDanglingEdges(nodes, edges)).toHaveLength(1);
  });

  it('Removing a choice drops the connection that left from its port', () => {
    const { nodes, edges } = toCanvas(graph, index);
    const ask = nodes.find(n => n.id === 'ask')!;
    const inputs = { ...ask.data.inputs, choices: ['Sales'] };
    const changed = nodes.map(n => (n === ask ? { ...n, data: { ...n.data, inputs, outcomes: outcomesFor(askQuestion, inputs) } } : n));
    const kept = pruneDanglingEdges(changed, edges);
    expect(kept.map(e => `${e.source}:${e.sourceHandle}`)).toEqual(['greet:done', 'ask:Sales', 'route:vip', 'route:default']);
  });

  it('An empty or missing graph becomes an empty canvas', () => {
    expect(toCanvas(null, index)).toEqual({ nodes: [], edges: [], variables: [] });
  });

  it('New activities start from their descriptor defaults, copied not shared', () => {
    const inputs = defaultInputs(askQuestion);
    expect(inputs).toEqual({ choices: ['Yes', 'No'], timeout: '00:10:00' });
    (inputs.choices as string[]).push('Maybe');
    expect(askQuestion.inputs[1].defaultValue).toEqual(['Yes', 'No']);
  });

  it('New node ids are readable and unique', () => {
    expect(newNodeId('AskQuestion', new Set(['askQuestion1']))).toBe('askQuestion2');
    expect(newNodeId('OneInbox.Activities.SendMessage', new Set())).toBe('sendMessage1');
  });
});
