import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowInstanceDetail } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { describe, JournalTable } from '../components/JournalTable';
import { RunGraph } from '../components/RunGraph';
import { linkClick } from '../router';
import { runAction } from '../api/runAction';

/** What one flow instance did: its path on the graph of its version, step by step, and what went wrong. */
export function InstanceView({ instanceId }: { instanceId: string }) {
  const { api, readOnly } = useStudio();
  const [instance, setInstance] = useState<FlowInstanceDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(() => api.getInstance(instanceId).then(setInstance).catch(e => setError(toApiError(e))), [api, instanceId]);
  useEffect(() => {
    load();
  }, [load]);

  const act = (action: () => Promise<void>) => runAction(action, load, setError);

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
            <RunGraph graph={instance.graph} path={instance.path} current={instance.currentNodeId}
              problems={new Map(instance.incidents.filter(i => !i.resolved).map(i => [i.nodeId, [i.message]]))} />
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
          <JournalTable journal={instance.journal} />
        </>
      )}
    </main>
  );
}
