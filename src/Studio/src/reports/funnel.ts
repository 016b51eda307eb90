import type { ActivityNode, FlowConnection } from '../graph/mapping';

/** GET /api/v1/reports/flows/{id}/funnel. */
export interface FunnelNode {
  nodeId: string;
  type: string;
  reached: number;
  outcomes: Record<string, number>;
  stopped: number;
  handedOff: number;
  faulted: number;
  cancelled: number;
  invalidAnswers: number;
  timedOut: number;
}
export interface FunnelEdge { source: string; outcome: string; target: string; count: number }
export interface FlowFunnel { flowId: string; name: string; version: number; started: number; completed: number; nodes: FunnelNode[]; edges: FunnelEdge[] }

/** What the canvas shows of a funnel: each node's arrivals and stops, each edge's count. */
export interface FunnelMarks {
  nodes: ReadonlyMap<string, { reached: number; stopped: number }>;
  edges: ReadonlyMap<string, number>;
}

export const edgeKey = (source: string, outcome: string) => `${source}\u0000${outcome}`;

export function funnelMarks(funnel: FlowFunnel): FunnelMarks {
  return {
    nodes: new Map(funnel.nodes.map(n => [n.nodeId, { reached: n.reached, stopped: n.stopped }])),
    edges: new Map(funnel.edges.map(e => [edgeKey(e.source, e.outcome), e.count])),
  };
}

/** The funnel on the nodes (none: taken off); nodes whose marks are unchanged keep their identity. */
export function applyNodeFunnel(nodes: ActivityNode[], marks: FunnelMarks | null): ActivityNode[] {
  let changed = false;
  const next = nodes.map(node => {
    const mark = marks ? marks.nodes.get(node.id) ?? { reached: 0, stopped: 0 } : undefined;
    const now = node.data.funnel;
    if (now?.reached === mark?.reached && now?.stopped === mark?.stopped) return node;
    changed = true;
    return { ...node, data: { ...node.data, funnel: mark } };
  });
  return changed ? next : nodes;
}

/** Each edge labelled with the runs that took it, drawn thicker the more of the flow's arrivals it carries. */
export function applyEdgeFunnel(edges: FlowConnection[], marks: FunnelMarks | null): FlowConnection[] {
  const most = marks ? Math.max(1, ...marks.edges.values()) : 1;
  let changed = false;
  const next = edges.map(edge => {
    const count = marks ? marks.edges.get(edgeKey(edge.source, edge.sourceHandle ?? '')) ?? 0 : undefined;
    const label = count === undefined ? undefined : String(count);
    if (edge.label === label) return edge;
    changed = true;
    const style = count === undefined ? undefined : { strokeWidth: 1 + (4 * count) / most };
    return { ...edge, label, style, labelBgPadding: [4, 2] as [number, number], data: { ...edge.data, funnelCount: count } };
  });
  return changed ? next : edges;
}
