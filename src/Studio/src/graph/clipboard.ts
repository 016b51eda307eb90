import { edgeId, newNodeId, type ActivityNode, type FlowConnection } from './mapping';

export interface Fragment { nodes: ActivityNode[]; edges: FlowConnection[] }

/** The selected nodes and the connections between them. */
export function copySelection(nodes: readonly ActivityNode[], edges: readonly FlowConnection[]): Fragment | null {
  const selected = nodes.filter(n => n.selected);
  if (selected.length === 0) return null;
  const ids = new Set(selected.map(n => n.id));
  return {
    nodes: structuredClone(selected.map(({ id, type, position, data }) => ({ id, type, position, data }))) as ActivityNode[],
    edges: edges.filter(e => ids.has(e.source) && ids.has(e.target)).map(e => ({ ...e })),
  };
}

/** New ids, shifted positions, selected; connections rewired to the copies. */
export function pasteFragment(fragment: Fragment, existing: readonly ActivityNode[], offset = 40): Fragment {
  const taken = new Set(existing.map(n => n.id));
  const renamed = new Map<string, string>();
  const nodes = fragment.nodes.map(n => {
    const id = newNodeId(n.data.activityType, taken);
    taken.add(id);
    renamed.set(n.id, id);
    return {
      ...n,
      id,
      selected: true,
      position: { x: n.position.x + offset, y: n.position.y + offset },
      data: { ...structuredClone(n.data), problems: [], onPath: false, current: false },
    };
  });
  const edges = fragment.edges.map(e => {
    const source = renamed.get(e.source) as string;
    const target = renamed.get(e.target) as string;
    return { ...e, id: edgeId(source, e.sourceHandle ?? '', target), source, target, selected: false };
  });
  return { nodes, edges };
}
