import type { FlowGraph } from '../api/types';
import { allDescriptors, askQuestion, handOff, switchCases } from '../testing/descriptors';
import { indexDescriptors, newNodeId, outcomesFor, pruneDanglingEdges, toCanvas, toGraph, defaultInputs } from './mapping';

const index = indexDescriptors(allDescriptors);

const graph: FlowGraph = {
  nodes: [
    { id: 'greet', type: 'SendMessage', typeVersion: 1, inputs: { text: 'Hi {{ contact.name }}' }, position: { x: 10, y: 20 } },
    { id: 'ask', type: 'AskQuestion', typeVersion: 1, inputs: { prompt: 'Sales or support?', validation: 'choice', choices: [{ title: 'Sales', value: 'sales' }, { title: 'Support', value: 'support' }] }, position: { x: 10, y: 180 } },
    { id: 'route', type: 'Switch', typeVersion: 1, inputs: { expression: 'contact.tier', cases: ['vip'] }, position: { x: 300, y: 340 } },
    { id: 'handoff', type: 'HandOff', typeVersion: 2, inputs: { team: 't1', priority: 'urgent' }, position: { x: -120.4, y: 500.6 } },
  ],
  edges: [
    { source: 'greet', sourcePort: 'done', target: 'ask' },
    { source: 'ask', sourcePort: 'sales', target: 'route' },
    { source: 'ask', sourcePort: 'support', target: 'handoff' },
    { source: 'route', sourcePort: 'vip', target: 'handoff' },
    { source: 'route', sourcePort: 'default', target: 'handoff' },
  ],
  variables: [{ name: 'answer', type: 'text' }],
  trigger: { type: 'MessageReceived', inputs: { keywords: ['hello'] } },
  start: 'greet',
};

describe('graph <-> flow JSON', () => {
  it('A flow survives a trip through the canvas unchanged', () => {
    const canvas = toCanvas(graph, index);
    const back = toGraph(canvas.nodes, canvas.edges, canvas.variables, canvas.extras);
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
    expect(edges.find(e => e.target === 'handoff' && e.source === 'ask')?.sourceHandle).toBe('support');
  });

  it('A choice question shows one port per choice value, then its extra outcomes', () => {
    const { nodes } = toCanvas(graph, index);
    expect(nodes.find(n => n.id === 'ask')!.data.outcomes).toEqual(['sales', 'support', 'invalid', 'timeout']);
    expect(nodes.find(n => n.id === 'route')!.data.outcomes).toEqual(['vip', 'default']);
    expect(nodes.find(n => n.id === 'greet')!.data.outcomes).toEqual(['done']);
  });

  it('A question that does not expect a choice leaves through answered, as the engine runs it', () => {
    expect(outcomesFor(askQuestion, { validation: 'email', choices: [{ title: 'Billing', value: 'billing' }] })).toEqual(['answered', 'invalid', 'timeout']);
    expect(outcomesFor(askQuestion, { validation: 'choice', choices: [] })).toEqual(['answered', 'invalid', 'timeout']);
  });

  it('A hand-off has a released port only when it resumes on release', () => {
    const engineHandOff = { ...handOff, type: 'HandOff', outcomes: ['released'], dynamicOutcomes: null };
    expect(outcomesFor(engineHandOff, { reason: 'r' })).toEqual([]);
    expect(outcomesFor(engineHandOff, { reason: 'r', resumeOnRelease: true })).toEqual(['released']);
  });

  it('A switch without cases still has its default port', () => {
    expect(outcomesFor(switchCases, { expression: 'x', cases: [] })).toEqual(['default']);
  });

  it('The start and trigger survive the canvas; a flow without a start begins where nothing leads', () => {
    const canvas = toCanvas({ ...graph, start: null, trigger: null }, index);
    const back = toGraph(canvas.nodes, canvas.edges, canvas.variables, canvas.extras);
    expect(back.start).toBe('greet');
    expect(back.trigger).toEqual({ type: 'Manual', inputs: {} });
    const withoutGreet = toGraph(canvas.nodes.filter(n => n.id !== 'greet'), canvas.edges.filter(e => e.source !== 'greet'), [], { ...canvas.extras, start: 'greet' });
    expect(withoutGreet.start).toBe('ask');
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
    const inputs = { ...ask.data.inputs, choices: [{ title: 'Sales', value: 'sales' }] };
    const changed = nodes.map(n => (n === ask ? { ...n, data: { ...n.data, inputs, outcomes: outcomesFor(askQuestion, inputs) } } : n));
    const kept = pruneDanglingEdges(changed, edges);
    expect(kept.map(e => `${e.source}:${e.sourceHandle}`)).toEqual(['greet:done', 'ask:sales', 'route:vip', 'route:default']);
  });

  it('An empty or missing graph becomes an empty canvas', () => {
    expect(toCanvas(null, index)).toEqual({ nodes: [], edges: [], variables: [], extras: { trigger: { type: 'Manual', inputs: {} }, start: null } });
  });

  it('New activities start from their descriptor defaults, copied not shared', () => {
    const inputs = defaultInputs(handOff);
    expect(inputs).toEqual({ priority: 'normal', hours: { timeZone: 'UTC', weekly: [] } });
    (inputs.hours as { weekly: unknown[] }).weekly.push({ day: 'monday', open: '09:00', close: '17:00' });
    expect(handOff.inputs[6].defaultValue).toEqual({ timeZone: 'UTC', weekly: [] });
  });

  it('A significant decision and its explanation survive the canvas both ways; an unmarked node carries none', () => {
    const graph: FlowGraph = {
      nodes: [
        { id: 'refund', type: 'AskQuestion', typeVersion: 1, inputs: { prompt: 'Order?' }, position: { x: 0, y: 0 },
          decision: { significant: true, explanation: 'Refused: total {{ vars.total }}' } },
        { id: 'other', type: 'AskQuestion', typeVersion: 1, inputs: { prompt: 'More?' }, position: { x: 0, y: 100 }, decision: { significant: false } },
      ],
      edges: [], variables: [], trigger: { type: 'Manual', inputs: {} }, start: 'refund',
    };
    const { nodes, edges, variables, extras } = toCanvas(graph, index);
    expect(nodes[0].data.decision).toEqual({ significant: true, explanation: 'Refused: total {{ vars.total }}' });
    expect(nodes[1].data.decision).toBeUndefined();
    const back = toGraph(nodes, edges, variables, extras);
    expect(back.nodes[0].decision).toEqual({ significant: true, explanation: 'Refused: total {{ vars.total }}' });
    expect('decision' in back.nodes[1]).toBe(false);
  });

  it('New node ids are readable and unique', () => {
    expect(newNodeId('AskQuestion', new Set(['askQuestion1']))).toBe('askQuestion2');
    expect(newNodeId('OneInbox.Activities.SendMessage', new Set())).toBe('sendMessage1');
  });
});
