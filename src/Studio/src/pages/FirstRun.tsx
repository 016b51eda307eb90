import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { ChannelConnection, FlowExport, FlowSummary } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { linkClick } from '../router';
import menuFlow from '../../../../docs/menu-flow.json';

const refreshMs = 5000;

/** The menu flow of docs/flow-format.md, routing to one of the workspace's teams. */
export function menuTemplate(teamId: string): FlowExport {
  const document = structuredClone(menuFlow) as unknown as FlowExport;
  for (const node of document.graph.nodes) if (node.type === 'AssignToTeam') node.inputs = { ...node.inputs, teamId };
  return document;
}

export interface FirstRunState { connected: boolean; published: boolean; received: boolean }

export function firstRunState(connections: readonly ChannelConnection[], flows: readonly FlowSummary[]): FirstRunState {
  return {
    connected: connections.length > 0,
    published: flows.some(f => f.publishedVersion !== null),
    received: connections.some(c => c.health.lastInboundAt !== null),
  };
}

function Step({ n, done, title, children }: { n: number; done: boolean; title: string; children: React.ReactNode }) {
  return (
    <li className={`step${done ? ' done' : ''}`} data-testid={`step-${n}`} data-done={done}>
      <h2><span aria-hidden>{done ? '✓' : n}</span> {title} {done && <span className="visually-hidden">(done)</span>}</h2>
      {children}
    </li>
  );
}

/** Three steps to a bot that answers; each is ticked when it really happened, not when a button was pressed. */
export function FirstRun() {
  const { api, teams, readOnly } = useStudio();
  const [connections, setConnections] = useState<ChannelConnection[]>([]);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [teamId, setTeamId] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [publishing, setPublishing] = useState(false);

  const load = useCallback(async () => {
    try {
      const [c, f] = await Promise.all([api.channels(), api.listFlows()]);
      setConnections(c);
      setFlows(f.items);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    load();
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, [load]);

  const state = firstRunState(connections, flows);
  const team = teamId || teams[0]?.id || '';

  return (
    <main className="page first-run">
      <h1>Get started</h1>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <ol className="steps">
        <Step n={1} done={state.connected} title="Connect a channel">
          <p>Connect your Telegram bot or the API channel; its messages land in one inbox.</p>
          <a href="/studio/channels" onClick={linkClick('/studio/channels')}>Open Channels</a>
        </Step>
        <Step n={2} done={state.published} title="Publish a bot from a template">
          <p>The menu bot greets with a menu, answers opening hours, collects an order email and hands off to a team.</p>
          {teams.length === 0 ? (
            <p>It hands off to a team: <a href="/studio/people" onClick={linkClick('/studio/people')}>create one in People</a> first.</p>
          ) : !readOnly && (
            <div className="inline-form">
              <label htmlFor="template-team">Hand off to</label>
              <select id="template-team" value={team} onChange={e => setTeamId(e.target.value)}>
                {teams.map(t => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
              <button type="button" className="primary" data-testid="publish-template" disabled={publishing} onClick={async () => {
                setPublishing(true);
                try {
                  const flow = await api.importFlow(menuTemplate(team));
                  await api.publishFlow(flow.id);
                  await load();
                } catch (e) {
                  setError(toApiError(e));
                } finally {
                  setPublishing(false);
                }
              }}>Publish the menu bot</button>
            </div>
          )}
        </Step>
        <Step n={3} done={state.received} title="Send yourself a test message">
          <p>Write to your bot from your own phone. This step is ticked when the first message has arrived.</p>
        </Step>
      </ol>
    </main>
  );
}
