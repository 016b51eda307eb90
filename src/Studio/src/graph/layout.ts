import { Graph, layout } from '@dagrejs/dagre';
import type { ActivityNode, FlowConnection } from './mapping';

export const nodeWidth = 220;
const baseHeight = 64;
const portRowHeight = 18;

function heightOf(node: ActivityNode): number {
  return node.measured?.height ?? baseHeight + Math.ceil(Math.max(node.data.outcomes.length, 1) / 3) * portRowHeight;
}

/** Top-to-bottom layered layout; returns new nodes with new positions, the rest untouched. */
export function autoLayout(nodes: readonly ActivityNode[], edges: readonly FlowConnection[]): ActivityNode[] {
  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) g.setNode(node.id, { width: node.measured?.width ?? nodeWidth, height: heightOf(node) });
  for (const edge of edges) if (g.hasNode(edge.source) && g.hasNode(edge.target)) g.setEdge(edge.source, edge.target);
  layout(g);
  return nodes.map(node => {
    const placed = g.node(node.id);
    // dagre gives centres; React Flow positions are top-left corners.
    const width = node.measured?.width ?? nodeWidth;
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - heightOf(node) / 2) } };
  });
}
