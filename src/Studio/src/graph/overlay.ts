import type { FlowProblem } from '../api/types';
import type { ActivityNode, FlowConnection } from './mapping';

export interface Overlay {
  problems: ReadonlyMap<string, string[]>;
  path: readonly string[];
  current: string | null;
}

export const emptyOverlay: Overlay = { problems: new Map(), path: [], current: null };

export function problemsByNode(problems: readonly FlowProblem[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    if (!p.nodeId) continue;
    map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p.field ? `${p.field}: ${p.message}` : p.message]);
  }
  return map;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Marks problems and the run's path on the nodes. Nodes whose marks do not change keep their identity,
 * so memoized node components of a 200-node flow do not re-render when one node gets a problem.
 */
export function applyNodeOverlay(nodes: ActivityNode[], overlay: Overlay): ActivityNode[] {
  const onPath = new Set(overlay.path);
  let changed = false;
  const next = nodes.map(node => {
    const problems = overlay.problems.get(node.id) ?? [];
    const isOnPath = onPath.has(node.id);
    const isCurrent = overlay.current === node.id;
    if (sameList(node.data.problems, problems) && node.data.onPath === isOnPath && node.data.current === isCurrent) return node;
    changed = true;
    return { ...node, data: { ...node.data, problems, onPath: isOnPath, current: isCurrent } };
  });
  return changed ? next : nodes;
}

/** Connections walked by consecutive steps of the path. */
export function applyEdgeOverlay(edges: FlowConnection[], path: readonly string[]): FlowConnection[] {
  const walked = new Set<string>();
  for (let i = 1; i < path.length; i++) walked.add(`${path[i - 1]}->${path[i]}`);
  let changed = false;
  const next = edges.map(edge => {
    const isWalked = walked.has(`${edge.source}->${edge.target}`);
    const className = isWalked ? 'on-path' : undefined;
    if (edge.className === className && !!edge.animated === isWalked) return edge;
    changed = true;
    return { ...edge, className, animated: isWalked };
  });
  return changed ? next : edges;
}
