import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { ReviewCase, ReviewStats } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { queueOrder } from '../reviews/actions';
import { linkClick } from '../router';

const statuses = ['', 'open', 'inReview', 'upheld', 'overturned', 'withdrawn'] as const;

/** The review queue: cases customers opened against automated decisions, nearest due date first, overdue ones marked. */
export function ReviewsList() {
  const { api } = useStudio();
  const [status, setStatus] = useState('');
  const [cases, setCases] = useState<ReviewCase[] | null>(null);
  const [stats, setStats] = useState<ReviewStats[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.listReviews(status || undefined), api.reviewStats()])
      .then(([list, figures]) => {
        if (cancelled) return;
        setCases(queueOrder(list));
        setStats(figures);
      })
      .catch(e => !cancelled && setError(toApiError(e)));
    return () => {
      cancelled = true;
    };
  }, [api, status]);

  return (
    <main className="page reviews">
      <h1>Human reviews</h1>
      <p className="muted">Customers who contested what a bot decided. Decide each case before its due date; the customer is told the outcome.</p>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <label>Status{' '}
        <select data-testid="review-status-filter" value={status} onChange={e => setStatus(e.target.value)}>
          {statuses.map(s => <option key={s} value={s}>{s || 'all'}</option>)}
        </select>
      </label>
      {cases && cases.length === 0 && <p className="muted" data-testid="no-reviews">No cases.</p>}
      {cases && cases.length > 0 && (
        <table className="table" aria-label="Review cases" data-testid="review-queue">
          <thead>
            <tr><th scope="col">Case</th><th scope="col">Customer</th><th scope="col">Flow and step</th><th scope="col">Their words</th>
              <th scope="col">Status</th><th scope="col">Assignee</th><th scope="col">Due</th></tr>
          </thead>
          <tbody>
            {cases.map(c => (
              <tr key={c.id} className={c.overdue ? 'overdue' : undefined} data-testid={`review-${c.id}`}>
                <td><a href={`/studio/reviews/${c.id}`} onClick={linkClick(`/studio/reviews/${c.id}`)}>{c.reference}</a></td>
                <td>{c.contactName ?? 'unknown'} <span className="muted">({c.channel})</span></td>
                <td>{c.flowName ?? '—'}{c.flowVersion !== null && ` v${c.flowVersion}`}{c.contestedNodeId && <> · <code>{c.contestedNodeId}</code></>}</td>
                <td className="wrap">{c.customerWords}</td>
                <td><span className={`badge status-${c.status}`}>{c.status}</span></td>
                <td>{c.assigneeName ?? '—'}</td>
                <td>{new Date(c.dueAt).toLocaleDateString()}{c.overdue && <strong className="error"> overdue</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Which decisions people dispute</h2>
      {stats.length === 0 ? <p className="muted">No case yet.</p> : (
        <table className="table compact" aria-label="Review statistics" data-testid="review-stats">
          <thead>
            <tr><th scope="col">Flow</th><th scope="col">Step</th><th scope="col">Contested</th><th scope="col">Upheld</th><th scope="col">Overturned</th>
              <th scope="col">Open</th><th scope="col">Median hours to decide</th><th scope="col" /></tr>
          </thead>
          <tbody>
            {stats.map(s => (
              <tr key={`${s.flowId}-${s.version}-${s.nodeId}`}>
                <td>{s.flowName ?? s.flowId} v{s.version}</td>
                <td><code>{s.nodeId ?? '(whole run)'}</code></td>
                <td>{s.contested}</td><td>{s.upheld}</td><td>{s.overturned}</td><td>{s.open}</td>
                <td>{s.medianHoursToDecide ?? '—'}</td>
                <td>{s.flagged && <span className="badge flagged" title="Overturned more often than the workspace's threshold">often overturned</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
