import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowVersion } from '../api/types';
import { useStudio } from '../context';
import type { FlowFunnel } from '../reports/funnel';
import { ErrorBanner } from './ErrorBanner';

const periods = [7, 30, 90, 365];

/**
 * A published version's funnel for a period: the counts per step, and a switch that draws them on the canvas (arrivals
 * and stops on each node, each edge's count). The version and period are the panel's; the canvas shows the draft, so
 * steps added since the version show nothing.
 */
export function FunnelPanel({ flowId, publishedVersion, onFunnel }: { flowId: string; publishedVersion: number | null; onFunnel(funnel: FlowFunnel | null): void }) {
  const { api } = useStudio();
  const [versions, setVersions] = useState<FlowVersion[]>([]);
  const [version, setVersion] = useState<number | null>(publishedVersion);
  const [days, setDays] = useState(30);
  const [shown, setShown] = useState(false);
  const [funnel, setFunnel] = useState<FlowFunnel | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.versions(flowId).then(v => {
      if (cancelled) return;
      setVersions(v);
      setVersion(current => current ?? (v.length > 0 ? Math.max(...v.map(x => x.version)) : null));
    }).catch(e => !cancelled && setError(toApiError(e)));
    return () => { cancelled = true; };
  }, [api, flowId]);

  useEffect(() => {
    if (version === null) return;
    let cancelled = false;
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const q = new URLSearchParams({ version: String(version), from: from.toISOString(), to: new Date(to.getTime() + 3_600_000).toISOString() });
    api.request<FlowFunnel>('GET', `/api/v1/reports/flows/${flowId}/funnel?${q}`)
      .then(f => { if (!cancelled) { setFunnel(f); setError(null); } })
      .catch(e => !cancelled && setError(toApiError(e)));
    return () => { cancelled = true; };
  }, [api, flowId, version, days]);

  useEffect(() => {
    onFunnel(shown ? funnel : null);
  }, [shown, funnel, onFunnel]);
  useEffect(() => () => onFunnel(null), [onFunnel]);

  if (versions.length === 0 && !error) return <p className="muted" data-testid="funnel-none">Publish the flow to see how its runs go.</p>;
  return (
    <section aria-label="Funnel" className="funnel-panel">
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <label>Version <select data-testid="funnel-version" value={version ?? ''} onChange={e => setVersion(Number(e.target.value))}>
        {versions.map(v => <option key={v.version} value={v.version}>v{v.version}</option>)}
      </select></label>
      <label>Period <select data-testid="funnel-period" value={days} onChange={e => setDays(Number(e.target.value))}>
        {periods.map(d => <option key={d} value={d}>last {d} days</option>)}
      </select></label>
      <label><input type="checkbox" data-testid="funnel-toggle" checked={shown} onChange={e => setShown(e.target.checked)} /> Show on the canvas</label>
      {funnel && (
        <>
          <p data-testid="funnel-summary">{funnel.started} started · {funnel.completed} completed</p>
          <table className="table compact" data-testid="funnel-table">
            <thead><tr><th scope="col">Step</th><th scope="col">Reached</th><th scope="col">Stopped</th><th scope="col" title="Refused answers">Inv.</th><th scope="col" title="Timed out">T/o</th></tr></thead>
            <tbody>
              {funnel.nodes.map(n => (
                <tr key={n.nodeId} className={n.stopped > 0 ? 'overdue' : undefined}>
                  <td><code>{n.nodeId}</code></td><td>{n.reached}</td><td>{n.stopped}</td><td>{n.invalidAnswers}</td><td>{n.timedOut}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
