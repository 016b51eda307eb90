import { memo } from 'react';
import type { ActivityNode, FlowConnection } from '../graph/mapping';

/**
 * Where each outcome of the selected activity leads, as plain selects: connecting without dragging, for
 * keyboard and screen-reader users (and for precise edits in big flows).
 */
export const OutcomeConnections = memo(function OutcomeConnections({ node, nodes, edges, readOnly, onChange }: {
  node: ActivityNode;
  nodes: readonly ActivityNode[];
  edges: readonly FlowConnection[];
  readOnly: boolean;
  onChange: (port: string, target: string | null) => void;
}) {
  if (node.data.outcomes.length === 0) return null;
  return (
    <section className="outcome-connections" aria-label={`Connections of ${node.id}`}>
      <h3>Next steps</h3>
      {node.data.outcomes.map(port => {
        const current = edges.find(e => e.source === node.id && e.sourceHandle === port)?.target ?? '';
        const id = `next-${node.id}-${port}`;
        return (
          <div className="field" key={port}>
            <label htmlFor={id}>After “{port}”</label>
            <select id={id} data-testid={`next-${port}`} value={current} disabled={readOnly} onChange={e => onChange(port, e.target.value || null)}>
              <option value="">Nothing (the flow ends)</option>
              {nodes.map(n => <option key={n.id} value={n.id}>{n.data.label} ({n.id})</option>)}
            </select>
          </div>
        );
      })}
    </section>
  );
});
