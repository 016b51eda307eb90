import { useEffect, useState } from 'react';
import type { ReviewStats } from '../api/types';
import { useStudio } from '../context';
import { linkClick } from '../router';

/** On a flow's page: which of its decisions customers contested and how reviewers decided, per version and step. */
export function FlowReviewStats({ flowId }: { flowId: string }) {
  const { api } = useStudio();
  const [stats, setStats] = useState<ReviewStats[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.reviewStats().then(all => !cancelled && setStats(all.filter(s => s.flowId === flowId))).catch(() => !cancelled && setStats([]));
    return () => {
      cancelled = true;
    };
  }, [api, flowId]);
  if (stats === null) return <p className="muted">Loading…</p>;
  if (stats.length === 0) return <p className="muted" data-testid="flow-reviews-none">No customer has contested a decision of this flow.</p>;
  return (
    <section aria-label="Human reviews of this flow">
      <table className="table compact" data-testid="flow-review-stats">
        <thead>
          <tr><th scope="col">Step</th><th scope="col" title="Contested">Cont.</th><th scope="col">Upheld</th><th scope="col" title="Overturned">Overt.</th>
            <th scope="col" title="Median hours to decide">h</th></tr>
        </thead>
        <tbody>
          {stats.map(s => (
            <tr key={`${s.version}-${s.nodeId}`} className={s.flagged ? 'overdue' : undefined}>
              <td>v{s.version} <code>{s.nodeId ?? '(run)'}</code>{s.flagged && <span className="badge flagged">often overturned</span>}</td>
              <td>{s.contested}</td><td>{s.upheld}</td><td>{s.overturned}</td><td>{s.medianHoursToDecide ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p><a href="/studio/reviews" onClick={linkClick('/studio/reviews')}>Open the review queue</a></p>
    </section>
  );
}
