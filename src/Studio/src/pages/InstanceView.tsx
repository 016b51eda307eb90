import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowInstanceDetail } from '../api/types';
import { nodeTypes } from '../components/ActivityNodeView';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { applyEdgeOverlay, applyNodeOverlay } from '../graph/overlay';
import { toCanvas, type ActivityNode, type FlowConnection } from '../graph/mapping';
import { linkClick } from '../router';

function describe(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What one flow instance did: its path on the graph of its version, step by step, and what went wrong. */
export function InstanceView({ instanceId }: { instanceId: string }) {
  const { api, readOnly, descriptorIndex } = useStudio();
  const [instance, setInstance] = useState<FlowInstanceDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(() => api.getInstance(instanceId).then(setInstance).catch(e => setError(toApiError(e))), [api, instanceId]);
  useEffect(() => {
    load();
  }, [load]);

  const canvas = useMemo(() => {
    if (!instance) return { nodes: [] as ActivityNode[], edges: [] as FlowConnection[] };
    const { nodes, edges } = toCanvas(instance.graph, descriptorIndex);
    const overlay = {
      problems: new Map(instance.incidents.filter(i => !i.resolved).map(i => [i.nodeId, [i.message]])),
      path: instance.path,
      current: instance.currentNodeId,
    };
    return { nodes: applyNodeOverlay(nodes, overlay), edges: applyEdgeOverlay(edges, instance.path) };
  }, [instance, descriptorIndex]);

  const act = async (action: () => Promise<void>) => {
    try {
      await action();
      await load();
    } catch (e) {
      setError(toApiError(e));
    }
  };

  // A faulted instance can still be cancelled instead of retried; finished ones cannot.
  const active = instance && !['completed', 'cancelled', 'handedOff'].includes(instance.status);

  return (
    <main className="page instance-view">
      <h1>Instance <code>{instanceId.slice(0, 8)}</code>{instance && <> of <a href={`/studio/flows/${instance.flowId}`} onClick={linkClick(`/studio/flows/${instance.flowId}`)}>{instance.flowName}</a> v{instance.version}</>}</h1>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {instance && (
        <>
          <p>
            Status <span className={`badge status-${instance.status}`} data-testid="instance-status">{instance.status}</span>{' '}
            · conversation <code>{instance.conversationId}</code> · started {new Date(instance.startedAt).toLocaleString()}
            {!readOnly && active && <button type="button" className="danger" data-testid="cancel-instance" onClick={() => act(() => api.cancelInstance(instanceId))}>Cancel instance</button>}
          </p>
          <div className="instance-grid">
            <div className="canvas small" aria-label="Path taken">
              <ReactFlowProvider>
                <ReactFlow<ActivityNode, FlowConnection> nodes={canvas.nodes} edges={canvas.edges} nodeTypes={nodeTypes} nodesDraggable={false}
                  nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null} fitView onlyRenderVisibleElements minZoom={0.1}>
                  <Background />
                  <Controls showInteractive={false} />
                  <MiniMap ariaLabel="Minimap" />
                </ReactFlow>
              </ReactFlowProvider>
            </div>
            <section aria-label="Variables">
              <h2>Variables</h2>
              <table className="table compact"><tbody>
                {Object.entries(instance.variables ?? {}).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td><code>{describe(v)}</code></td></tr>)}
              </tbody></table>
              <h2>Incidents</h2>
              {instance.incidents.length === 0 && <p className="muted">None.</p>}
              <ul className="incidents">
                {instance.incidents.map(i => (
                  <li key={i.id} className={i.resolved ? 'resolved' : ''}>
                    <code>{i.nodeId}</code> {i.message} <span className="muted">{new Date(i.occurredAt).toLocaleString()}</span>
                    {i.resolved ? <span className="badge">resolved</span> : !readOnly && (
                      <button type="button" data-testid={`retry-${i.id}`} onClick={() => act(() => api.retryIncident(instanceId, i.id))}>Retry from {i.nodeId}</button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          </div>
          <h2>Journal</h2>
          <table className="table journal" aria-label="Journal" data-testid="journal">
            <thead>
              <tr><th scope="col">#</th><th scope="col">Step</th><th scope="col">Activity</th><th scope="col">Inputs</th><th scope="col">Outcome</th><th scope="col">Messages sent</th><th scope="col">Assignment</th><th scope="col">When</th><th scope="col">ms</th></tr>
            </thead>
            <tbody>
              {instance.journal.map(j => (
                <tr key={j.sequence}>
                  <td>{j.sequence}</td>
                  <td><code>{j.nodeId}</code></td>
                  <td>{descriptorIndex.get(j.activityType)?.displayName ?? j.activityType}</td>
                  <td><code className="wrap">{describe(j.inputs)}</code></td>
                  <td>{j.outcome ?? ''}</td>
                  <td>{j.messagesSent.map((m, n) => <div key={n}>{m}</div>)}</td>
                  <td>{describe(j.assignment)}</td>
                  <td>{new Date(j.startedAt).toLocaleTimeString()}</td>
                  <td>{j.durationMs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
