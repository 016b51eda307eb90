import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toApiError, type ApiError } from '../api/problem';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import {
  apiQuery, breakdownQuery, filtersQuery, formatDuration, formatSatisfaction, handOffCause, parseFilters, percent, rangeQuery,
  type AutomationReport, type Breakdown, type ConversationReport, type Grouping, type ReportFilters, type ReportTime,
} from '../reports/report';
import { linkClick } from '../router';
import { saveBlob } from './FlowsList';

const groupings: Grouping[] = ['hour', 'day', 'week', 'month'];
const channels = ['', 'telegram', 'whatsApp', 'discord', 'api'];

/**
 * How the inbox is doing: conversations opened and resolved over time, messages in and out, first response and
 * resolution times, who waits now. Filters live in the URL; every table downloads as CSV.
 */
export function Reports() {
  const { api, timeZone } = useStudio();
  const [filters, setFilters] = useState<ReportFilters>(() => parseFilters(window.location.search));
  const [report, setReport] = useState<ConversationReport | null>(null);
  const [agents, setAgents] = useState<Breakdown | null>(null);
  const [channelSplit, setChannelSplit] = useState<Breakdown | null>(null);
  const [automation, setAutomation] = useState<AutomationReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}?${filtersQuery(filters)}`);
    let cancelled = false;
    api.request<ConversationReport>('GET', `/api/v1/reports/conversations?${apiQuery(filters)}`)
      .then(r => { if (!cancelled) { setReport(r); setError(null); } })
      .catch(e => { if (!cancelled) setError(toApiError(e)); });
    Promise.all([
      api.request<Breakdown>('GET', `/api/v1/reports/agents?${breakdownQuery(filters)}`),
      api.request<Breakdown>('GET', `/api/v1/reports/channels?${breakdownQuery(filters)}`),
    ]).then(([a, c]) => { if (!cancelled) { setAgents(a); setChannelSplit(c); } })
      .catch(e => { if (!cancelled) setError(toApiError(e)); });
    api.request<AutomationReport>('GET', `/api/v1/reports/automation?${rangeQuery(filters)}`)
      .then(r => { if (!cancelled) setAutomation(r); })
      .catch(e => { if (!cancelled) setError(toApiError(e)); });
    return () => { cancelled = true; };
  }, [api, filters]);

  const set = (patch: Partial<ReportFilters>) => setFilters(f => ({ ...f, ...patch }));
  const downloadCsv = async (file: string, path: string) => {
    try {
      saveBlob(file, await api.download(path));
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const t = report?.totals;

  return (
    <main className="page admin-page reports">
      <h1>Reports</h1>
      <form className="report-filters" aria-label="Report filters" onSubmit={e => e.preventDefault()}>
        <label>From <input type="date" data-testid="report-from" value={filters.from} onChange={e => set({ from: e.target.value })} /></label>
        <label>To <input type="date" data-testid="report-to" value={filters.to} onChange={e => set({ to: e.target.value })} /></label>
        <label>By <select data-testid="report-group" value={filters.groupBy} onChange={e => set({ groupBy: e.target.value as Grouping })}>
          {groupings.map(g => <option key={g} value={g}>{g}</option>)}
        </select></label>
        <label>Channel <select data-testid="report-channel" value={filters.channel} onChange={e => set({ channel: e.target.value })}>
          {channels.map(c => <option key={c} value={c}>{c || 'all'}</option>)}
        </select></label>
        <label>Label <input data-testid="report-label" placeholder="all" value={filters.label} onChange={e => set({ label: e.target.value })} /></label>
        <label>Time zone <input data-testid="report-zone" placeholder={timeZone} value={filters.timeZone} onChange={e => set({ timeZone: e.target.value })} /></label>
        <label>Times <select data-testid="report-time" value={filters.time} onChange={e => set({ time: e.target.value as ReportTime })}>
          <option value="business">within business hours</option>
          <option value="calendar">on the clock</option>
        </select></label>
      </form>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {report && t && (
        <>
          <dl className="report-figures" data-testid="report-figures">
            <div><dt>Opened</dt><dd data-testid="figure-opened">{t.opened}</dd></div>
            <div><dt>Resolved</dt><dd data-testid="figure-resolved">{t.resolved}</dd></div>
            <div><dt>Reopened</dt><dd data-testid="figure-reopened">{t.reopened}</dd></div>
            <div><dt>Messages in / out</dt><dd data-testid="figure-messages">{t.messagesIn} / {t.messagesOut}</dd></div>
            <div><dt>First response (median · p90)</dt><dd data-testid="figure-frt">{formatDuration(report.firstResponse.median)} · {formatDuration(report.firstResponse.p90)}</dd></div>
            <div><dt>Resolution (median · p90)</dt><dd data-testid="figure-resolution">{formatDuration(report.resolution.median)} · {formatDuration(report.resolution.p90)}</dd></div>
            <div><dt title="Average rating · share of 4s and 5s (ratings)">Satisfaction</dt><dd data-testid="figure-csat">{formatSatisfaction(report.satisfaction)}</dd></div>
            <div><dt>Waiting now</dt><dd data-testid="figure-waiting">{report.waitingNow}{report.oldestWaitSeconds !== null && ` (longest ${formatDuration(report.oldestWaitSeconds)})`}</dd></div>
          </dl>
          <p className="muted">Dates read in {report.timeZone}; response and resolution times {report.time === 'business' ? 'count business hours only' : 'count every hour'}.</p>
          <section aria-label="Conversations over time" data-testid="chart-conversations" className="chart">
            <h2>Conversations</h2>
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={report.buckets}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="start" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="opened" name="Opened" stroke="#2557d6" isAnimationActive={false} />
                <Line type="monotone" dataKey="resolved" name="Resolved" stroke="#1a7f37" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </section>
          <section aria-label="Messages over time" data-testid="chart-messages" className="chart">
            <h2>Messages</h2>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={report.buckets}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="start" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="messagesIn" name="In" fill="#8a63d2" isAnimationActive={false} />
                <Bar dataKey="messagesOut" name="Out" fill="#e09b2d" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </section>
          <section aria-label="Response time distribution" data-testid="chart-distribution" className="chart">
            <h2>How long customers waited</h2>
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={report.distribution}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="firstResponse" name="First response" fill="#2557d6" isAnimationActive={false} />
                <Bar dataKey="resolution" name="Resolution" fill="#1a7f37" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </section>
          {channelSplit && (
            <section aria-label="Channel split" data-testid="chart-channels" className="chart">
              <h2>By channel</h2>
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={channelSplit.rows} layout="vertical">
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis type="number" allowDecimals={false} />
                  <YAxis type="category" dataKey="name" width={90} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="opened" name="Opened" fill="#2557d6" isAnimationActive={false} />
                  <Bar dataKey="messagesIn" name="Messages in" fill="#8a63d2" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </section>
          )}
          {agents && (
            <section aria-label="Agents">
              <h2>By agent</h2>
              <button type="button" data-testid="agents-csv" onClick={() => downloadCsv('agents-report.csv', `/api/v1/reports/agents?${breakdownQuery(filters)}&format=csv`)}>Download CSV</button>
              <table className="table" data-testid="agents-table">
                <thead><tr><th scope="col">Agent</th><th scope="col">Resolved</th><th scope="col">Replies</th><th scope="col">First response (median)</th><th scope="col">Resolution (median)</th><th scope="col">Satisfaction</th></tr></thead>
                <tbody>
                  {agents.rows.map(r => (
                    <tr key={r.key} data-testid={`agent-${r.key}`}><td>{r.name}</td><td>{r.resolved}</td><td>{r.messagesOut}</td>
                      <td>{formatDuration(r.firstResponse.median)}</td><td>{formatDuration(r.resolution.median)}</td><td>{formatSatisfaction(r.satisfaction)}</td></tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {automation && (
            <section aria-label="Automation" data-testid="automation">
              <h2>Automation</h2>
              <dl className="report-figures">
                <div><dt>Bot runs</dt><dd data-testid="figure-bot-runs">{automation.started}</dd></div>
                <div><dt>Handed to people</dt><dd data-testid="figure-handed-off">{automation.handedOff}</dd></div>
                <div><dt>Contained by the bot</dt><dd data-testid="figure-containment">{percent(automation.containment)}</dd></div>
              </dl>
              {automation.handOffReasons.length > 0 && (
                <p data-testid="handoff-reasons">Why: {automation.handOffReasons.map(r => `${handOffCause[r.category] ?? r.category}${r.nodeId ? ` (${r.nodeId})` : ''}: ${r.count}`).join(' · ')}</p>
              )}
              <button type="button" data-testid="automation-csv" onClick={() => downloadCsv('automation-report.csv', `/api/v1/reports/automation?${rangeQuery(filters)}&format=csv`)}>Download CSV</button>
              <table className="table" data-testid="automation-table">
                <thead><tr><th scope="col">Flow</th><th scope="col">Started</th><th scope="col">Completed</th><th scope="col">Handed off</th><th scope="col">Failed</th>
                  <th scope="col">Timed out</th><th scope="col">Refused answers</th><th scope="col">Contained</th><th scope="col">Satisfaction</th></tr></thead>
                <tbody>
                  {automation.flows.length === 0 && <tr><td colSpan={9} className="muted">No flow ran in this range.</td></tr>}
                  {automation.flows.map(f => (
                    <tr key={`${f.flowId}-${f.version}`} data-testid={`flow-runs-${f.flowId}-${f.version}`}>
                      <td><a href={`/studio/flows/${f.flowId}`} onClick={linkClick(`/studio/flows/${f.flowId}`)}>{f.name}</a> v{f.version}</td>
                      <td>{f.started}</td><td>{f.completed}</td><td>{f.handedOff}</td><td>{f.faulted}</td><td>{f.timedOut}</td><td>{f.invalidAnswers}</td><td>{percent(f.containment)}</td>
                      <td>{formatSatisfaction(f.satisfaction)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <h2>By {report.groupBy}</h2>
          <button type="button" data-testid="report-csv" onClick={() => downloadCsv('conversations-report.csv', `/api/v1/reports/conversations?${apiQuery(filters)}&format=csv`)}>Download CSV</button>
          <table className="table" data-testid="report-table">
            <thead><tr><th scope="col">Start</th><th scope="col">Opened</th><th scope="col">Resolved</th><th scope="col">Reopened</th><th scope="col">In</th><th scope="col">Out</th></tr></thead>
            <tbody>
              {report.buckets.length === 0 && <tr><td colSpan={6} className="muted">Nothing happened in this range.</td></tr>}
              {report.buckets.map(b => (
                <tr key={b.start}><td>{b.start}</td><td>{b.opened}</td><td>{b.resolved}</td><td>{b.reopened}</td><td>{b.messagesIn}</td><td>{b.messagesOut}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
