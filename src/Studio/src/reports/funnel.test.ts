import { describe, expect, it } from 'vitest';
import type { ActivityNode, FlowConnection } from '../graph/mapping';
import { applyEdgeFunnel, applyNodeFunnel, funnelMarks, type FlowFunnel } from './funnel';

const node = (id: string): ActivityNode => ({
  id, type: 'activity', position: { x: 0, y: 0 },
  data: { activityType: 'SendMessage', typeVersion: 1, inputs: {}, label: id, category: 'Messaging', icon: null, outcomes: ['done'], problems: [], onPath: false, current: false, unknown: false },
});

const funnel: FlowFunnel = {
  flowId: 'f', name: 'Menu', version: 2, started: 10, completed: 6,
  nodes: [
    { nodeId: 'menu', type: 'SendMessage', reached: 10, outcomes: { order: 7, hours: 1 }, stopped: 2, handedOff: 0, faulted: 0, cancelled: 0, invalidAnswers: 0, timedOut: 0 },
    { nodeId: 'order', type: 'SendMessage', reached: 7, outcomes: { done: 7 }, stopped: 0, handedOff: 0, faulted: 0, cancelled: 0, invalidAnswers: 0, timedOut: 0 },
  ],
  edges: [{ source: 'menu', outcome: 'order', target: 'order', count: 7 }, { source: 'menu', outcome: 'hours', target: 'hours', count: 1 }],
};

describe('the funnel overlay', () => {
  it('marks arrivals and stops on each node, zero on steps no run reached, and comes off again', () => {
    const nodes = [node('menu'), node('order'), node('new')];
    const marked = applyNodeFunnel(nodes, funnelMarks(funnel));
    expect(marked.map(n => n.data.funnel)).toEqual([{ reached: 10, stopped: 2 }, { reached: 7, stopped: 0 }, { reached: 0, stopped: 0 }]);
    expect(applyNodeFunnel(marked, funnelMarks(funnel))).toBe(marked);
    expect(applyNodeFunnel(marked, null).map(n => n.data.funnel)).toEqual([undefined, undefined, undefined]);
  });

  it('labels each edge with its count and draws the busiest thickest', () => {
    const edges: FlowConnection[] = [
      { id: 'a', source: 'menu', sourceHandle: 'order', target: 'order' },
      { id: 'b', source: 'menu', sourceHandle: 'hours', target: 'hours' },
      { id: 'c', source: 'order', sourceHandle: 'done', target: 'x' },
    ];
    const labelled = applyEdgeFunnel(edges, funnelMarks(funnel));
    expect(labelled.map(e => e.label)).toEqual(['7', '1', '0']);
    expect(labelled[0].style?.strokeWidth).toBeGreaterThan(labelled[1].style?.strokeWidth as number);
    expect(applyEdgeFunnel(labelled, null).map(e => e.label)).toEqual([undefined, undefined, undefined]);
  });
});
