import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowInstanceSummary } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { linkClick } from '../router';

// The engine's instance statuses (a hand-off completes the instance unless it resumes on release).
export const instanceStatuses = ['running', 'waiting', 'completed', 'faulted', 'cancelled'];

export function InstancesList({ flowId }: { flowId: string | null }) {
  const { api } = useStudio();
  const [status, setStatus] = useState('');
  const [conversationId, setConversationId] = useState('');
  const [items, setItems] = useState<FlowInstanceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (more?: string | null) => {
    try {
      const page = await api.listInstances({ flowId: flowId ?? undefined, status, conversationId: conversationId.trim(), cursor: more });
      setItems(previous => (more ? [...previous, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api, flowId, status, conversationId]);

  useEffect(() => {
    const timer = setTimeout(() => load(), 250);
    return () => clearTimeout(timer);
  }, [load]);

  return (
    <main className="page">
      <h1>Instances{flowId && items[0] ? ` of ${items[0].flowName}` : ''}</h1>
      {flowId && <a href={`/studio/flows/${flowId}`} onClick={linkClick(`/studio/flows/${flowId}`)}>Open the flow in the designer</a>}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <form className="toolbar" onSubmit={e => { e.preventDefault(); load(); }} aria-label="Filter instances">
        <label>Status{' '}
          <select value={status} onChange={e => setStatus(e.target.value)} data-testid="filter-status">
            <option value="">Any</option>
            {instanceStatuses.map(s => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Conversation{' '}
          <input value={conversationId} onChange={e => setConversationId(e.target.value)} placeholder="conversation id" data-testid="filter-conversation" />
        </label>
      </form>
      <table className="table" aria-label="Instances">
        <thead>
          <tr><th scope="col">Instance</th><th scope="col">Flow</th><th scope="col">Version</th><th scope="col">Conversation</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Updated</th></tr>
        </thead>
        <tbody>
          {items.length === 0 && <tr><td colSpan={7} className="muted">No instances match.</td></tr>}
          {items.map(i => (
            <tr key={i.id}>
              <td><a href={`/studio/instances/${i.id}`} onClick={linkClick(`/studio/instances/${i.id}`)} data-testid={`instance-${i.id}`}>{i.id.slice(0, 8)}</a></td>
              <td>{i.flowName}</td>
              <td>v{i.version}</td>
              <td><code>{i.conversationId}</code></td>
              <td><span className={`badge status-${i.status}`}>{i.status}</span></td>
              <td>{new Date(i.startedAt).toLocaleString()}</td>
              <td>{new Date(i.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && <button type="button" onClick={() => load(cursor)}>Load more</button>}
    </main>
  );
}
