import { useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { TestRun } from '../api/types';
import { useStudio } from '../context';
import { ErrorBanner } from './ErrorBanner';

/** A chat with the draft: the customer is you, the bot is the engine's test run. */
export function Simulator({ flowId, beforeStart, onRun }: { flowId: string; beforeStart: () => Promise<void>; onRun: (run: TestRun | null) => void }) {
  const { api } = useStudio();
  const [run, setRun] = useState<TestRun | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [run?.transcript.length]);

  const act = async (action: () => Promise<TestRun>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      setRun(next);
      onRun(next);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const start = () => act(async () => {
    await beforeStart();
    return api.startTestRun(flowId, 'Test customer', 'api');
  });

  const send = (message: { text?: string; buttonPayload?: string }) => run && act(() => api.sendTestMessage(flowId, run.id, message));
  const finished = run && ['completed', 'faulted', 'handedOff'].includes(run.status);

  return (
    <section className="simulator" aria-label="Simulator">
      <h2>Simulator</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="sim-actions">
        <button type="button" className="primary" data-testid="sim-start" onClick={start} disabled={busy}>{run ? 'Restart' : 'Start test run'}</button>
        {run && <button type="button" onClick={() => { setRun(null); onRun(null); }}>Clear</button>}
        {run && <span className={`badge status-${run.status}`} data-testid="sim-status">{run.status}</span>}
      </div>
      <div className="transcript" role="log" aria-live="polite" aria-label="Conversation" data-testid="sim-transcript">
        {run?.transcript.map((entry, i) => (
          <div key={i} className={`bubble from-${entry.from}`}>
            <span className="visually-hidden">{entry.from}: </span>
            {entry.media && (
              // A link, not an <img>: the Studio never fetches a flow's media from elsewhere (CSP, privacy).
              <a className="bubble-media" href={entry.media.url} target="_blank" rel="noopener noreferrer"
                data-testid="sim-media">{mediaLabel(entry.media.kind)}: {entry.media.url}</a>
            )}
            <span className="bubble-text">{entry.text}</span>
            {entry.buttons && entry.buttons.length > 0 && (
              <div className="bubble-buttons">
                {entry.buttons.map(b => (
                  <button type="button" key={b.payload} disabled={busy || !!finished}
                    data-testid={`sim-button-${b.payload}`} onClick={() => send({ buttonPayload: b.payload })}>{b.title}</button>
                ))}
              </div>
            )}
          </div>
        ))}
        <div ref={end} />
      </div>
      {run?.handOff && (
        <div className="handoff" data-testid="sim-handoff" role="status">
          <strong>Handed off to an agent</strong>
          <p>Reason: {run.handOff.reason}</p>
          <p>Summary the agent sees: {run.handOff.summary}</p>
        </div>
      )}
      <form className="sim-input" onSubmit={e => {
        e.preventDefault();
        if (!text.trim()) return;
        send({ text });
        setText('');
      }}>
        <label htmlFor="sim-text" className="visually-hidden">Message as the customer</label>
        <input id="sim-text" data-testid="sim-text" placeholder="Type as the customer…" value={text} onChange={e => setText(e.target.value)} disabled={!run || busy || !!finished} />
        <button type="submit" data-testid="sim-send" disabled={!run || busy || !!finished || !text.trim()}>Send</button>
      </form>
      {run && (
        <details open>
          <summary>Variables</summary>
          <table className="table compact" aria-label="Variables" data-testid="sim-variables">
            <tbody>
              {Object.entries(run.variables).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td><code>{JSON.stringify(v)}</code></td></tr>)}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

/** How a bot's attachment reads in the transcript. */
export function mediaLabel(kind: string): string {
  switch (kind) {
    case 'image': return 'Image';
    case 'video': return 'Video';
    case 'audio': return 'Audio';
    default: return 'Document';
  }
}
