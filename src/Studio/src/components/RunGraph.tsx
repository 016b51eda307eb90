import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import type { FlowGraph } from '../api/types';
import { useStudio } from '../context';
import { applyEdgeOverlay, applyNodeOverlay } from '../graph/overlay';
import { toCanvas, type ActivityNode, type FlowConnection } from '../graph/mapping';
import { nodeTypes } from './ActivityNodeView';

export interface RunGraphProps {
  graph: FlowGraph;
  path: readonly string[];
  current?: string | null;
  problems?: ReadonlyMap<string, string[]>;
  /** The step a review case contests, marked on the canvas. */
  contested?: string | null;
  label?: string;
}

/** A flow version's graph, read-only, with the path a run took highlighted (instances, review cases). */
export function RunGraph({ graph, path, current = null, problems = new Map(), contested = null, label = 'Path taken' }: RunGraphProps) {
  const { descriptorIndex } = useStudio();
  const canvas = useMemo(() => {
    const { nodes, edges } = toCanvas(graph, descriptorIndex);
    const overlaid = applyNodeOverlay(nodes, { problems: new Map(problems), path: [...path], current });
    return {
      nodes: contested ? overlaid.map(n => (n.id === contested ? { ...n, data: { ...n.data, contested: true } } : n)) : overlaid,
      edges: applyEdgeOverlay(edges, path),
    };
  }, [graph, descriptorIndex, problems, path, current, contested]);
  return (
    <div className="canvas small" aria-label={label}>
      <ReactFlowProvider>
        <ReactFlow<ActivityNode, FlowConnection> nodes={canvas.nodes} edges={canvas.edges} nodeTypes={nodeTypes} nodesDraggable={false}
          nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null} fitView onlyRenderVisibleElements minZoom={0.1}>
          <Background />
          <Controls showInteractive={false} />
          <MiniMap ariaLabel="Minimap" />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
