/** The conversation report as GET /api/v1/reports/conversations answers it. */
export interface ReportBucket { start: string; opened: number; resolved: number; reopened: number; messagesIn: number; messagesOut: number }
export interface DurationSummary { count: number; median: number | null; p90: number | null; average: number | null }
export interface Satisfaction { rated: number; average: number | null; csat: number | null }
export interface DistributionBand { label: string; upToSeconds: number | null; firstResponse: number; resolution: number }
export interface ConversationReport {
  from: string;
  to: string;
  timeZone: string;
  groupBy: string;
  buckets: ReportBucket[];
  totals: ReportBucket;
  time: ReportTime;
  distribution: DistributionBand[];
  satisfaction: Satisfaction;
  firstResponse: DurationSummary;
  resolution: DurationSummary;
  waitingNow: number;
  oldestWaitSeconds: number | null;
}

export type Grouping = 'hour' | 'day' | 'week' | 'month';

/** Durations within business hours (the workspace's calendar) or on the clock. */
export type ReportTime = 'business' | 'calendar';

/** What the Reports page filters by; kept in the URL so a report can be shared and reloaded. */
export interface ReportFilters { from: string; to: string; groupBy: Grouping; timeZone: string; channel: string; time: ReportTime; label: string }

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The filters from a URL's query, the last 30 days grouped by day where it says nothing. */
export function parseFilters(search: string, today: Date = new Date()): ReportFilters {
  const q = new URLSearchParams(search);
  const groupBy = q.get('groupBy');
  return {
    from: q.get('from') ?? day(new Date(today.getTime() - 29 * 86_400_000)),
    to: q.get('to') ?? day(today),
    groupBy: groupBy === 'hour' || groupBy === 'week' || groupBy === 'month' ? groupBy : 'day',
    timeZone: q.get('timeZone') ?? '',
    channel: q.get('channel') ?? '',
    time: q.get('time') === 'calendar' ? 'calendar' : 'business',
    label: q.get('label') ?? '',
  };
}

/** The page's own query string (what differs from nothing); empty fields are left out. */
export function filtersQuery(f: ReportFilters): string {
  const q = new URLSearchParams({ from: f.from, to: f.to, groupBy: f.groupBy });
  if (f.timeZone) q.set('timeZone', f.timeZone);
  if (f.channel) q.set('channel', f.channel);
  if (f.time === 'calendar') q.set('time', f.time);
  if (f.label) q.set('label', f.label);
  return q.toString();
}

/**
 * The API's query: whole local days from the first date to the end of the last one. Dates are read as UTC midnights
 * here; the server buckets them in the report's time zone.
 */
export function apiQuery(f: ReportFilters): string {
  const q = new URLSearchParams({
    from: `${f.from}T00:00:00Z`,
    to: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000).toISOString(),
    groupBy: f.groupBy,
  });
  if (f.timeZone) q.set('timeZone', f.timeZone);
  if (f.channel) q.set('channel', f.channel);
  q.set('time', f.time);
  if (f.label.trim()) q.set('label', f.label.trim());
  return q.toString();
}

/** A duration as people say it: 45 s, 12 min, 3.5 h, 2.1 d. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** One agent's, team's, channel's or connection's figures (GET /api/v1/reports/agents and the like). */
export interface BreakdownRow {
  key: string;
  name: string;
  opened: number;
  resolved: number;
  reopened: number;
  messagesIn: number;
  messagesOut: number;
  firstResponse: DurationSummary;
  resolution: DurationSummary;
  satisfaction: Satisfaction;
}
export interface Breakdown { by: string; rows: BreakdownRow[] }

/** The breakdown's API query: the same range and way of measuring time as the report, without its grouping. */
export function breakdownQuery(f: ReportFilters): string {
  const q = new URLSearchParams(apiQuery(f));
  q.delete('groupBy');
  q.delete('timeZone');
  q.delete('channel');
  q.delete('label');
  return q.toString();
}

/** GET /api/v1/reports/automation. */
export interface HandOffReason { category: string; nodeId: string; count: number }
export interface FlowRuns {
  flowId: string;
  name: string;
  version: number;
  started: number;
  completed: number;
  handedOff: number;
  faulted: number;
  cancelled: number;
  timedOut: number;
  invalidAnswers: number;
  containment: number | null;
  handOffReasons: HandOffReason[];
  satisfaction: Satisfaction;
}
export interface AutomationReport { started: number; handedOff: number; containment: number | null; handOffReasons: HandOffReason[]; flows: FlowRuns[] }

/** The automation report's query: the range only. */
export function rangeQuery(f: ReportFilters): string {
  const q = new URLSearchParams(apiQuery(f));
  return new URLSearchParams({ from: q.get('from')!, to: q.get('to')! }).toString();
}

/** A share as a whole percentage; a dash when there is nothing to divide. */
export const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

/** Why the bot handed over, in words. */
export const handOffCause: Record<string, string> = {
  step: 'hand-off step',
  review: 'review requested',
  fault: 'the flow failed',
  expired: 'ran too long',
  restricted: 'processing restricted',
};

/** Satisfaction as read at a glance: "4.3 · 80 % (12)"; a dash without ratings. */
export function formatSatisfaction(s: Satisfaction | undefined): string {
  if (!s || s.rated === 0 || s.average === null) return '—';
  return `${s.average.toFixed(1)} · ${percent(s.csat)} (${s.rated})`;
}
