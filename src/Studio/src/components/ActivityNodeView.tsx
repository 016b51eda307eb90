import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ActivityNode } from '../graph/mapping';

/** One activity on the canvas: a target port on top, one source port per outcome below. */
export const ActivityNodeView = memo(function ActivityNodeView({ id, data, selected }: NodeProps<ActivityNode>) {
  const classes = ['activity-node'];
  if (selected) classes.push('selected');
  if (data.problems.length > 0) classes.push('has-problems');
  if (data.onPath) classes.push('on-path');
  if (data.current) classes.push('current');
  if (data.unknown) classes.push('unknown');
  if (data.decision?.significant) classes.push('significant');
  if (data.contested) classes.push('contested');
  if (data.funnel && data.funnel.stopped > 0) classes.push('drop-off');
  const count = data.outcomes.length;
  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`} aria-label={`${data.label} ${id}${data.problems.length ? `, ${data.problems.length} problems` : ''}`}>
      <Handle type="target" position={Position.Top} id="in" aria-label={`Input of ${id}`} />
      <div className="activity-head">
        <span className="activity-category">{data.category}</span>
        <span className="activity-title">{data.label}</span>
        <span className="activity-id">{id}</span>
        {data.decision?.significant && <span className="decision-badge" title={data.decision.explanation}>significant decision</span>}
        {data.contested && <span className="decision-badge contested-badge">contested</span>}
      </div>
      {data.funnel && (
        <div className="funnel-marks" data-testid={`funnel-${id}`}>
          <span title="Runs that reached this step">{data.funnel.reached} reached</span>
          {data.funnel.stopped > 0 && <span className="drop" title="Runs that stopped here: waiting, handed off, failed or stopped">{data.funnel.stopped} stopped here</span>}
        </div>
      )}
      {data.problems.length > 0 && (
        <ul className="node-problems">
          {data.problems.slice(0, 2).map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
      <div className="ports">
        {data.outcomes.map((outcome, i) => (
          <div className="port" key={outcome} style={{ left: `${((i + 0.5) / count) * 100}%` }}>
            <span className="port-label">{outcome}</span>
            <Handle type="source" position={Position.Bottom} id={outcome} data-testid={`port-${id}-${outcome}`}
              aria-label={`Outcome ${outcome} of ${id}`} style={{ left: '50%' }} />
          </div>
        ))}
      </div>
    </div>
  );
});

export const nodeTypes = { activity: ActivityNodeView };
