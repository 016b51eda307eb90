import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { ReviewActionType, ReviewCaseDetail } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { JournalTable } from '../components/JournalTable';
import { RunGraph } from '../components/RunGraph';
import { canDecideReviews, useStudio } from '../context';
import { actionLabels, draftProblem, emptyDraft, isOpen, toAction, type ActionDraft } from '../reviews/actions';
import { linkClick } from '../router';
import { downloadJson } from './FlowsList';

/** One case: what the customer said, the run and the step they contest, and the reviewer's decision. */
export function ReviewView({ caseId }: { caseId: string }) {
  const { api, me, teams, members } = useStudio();
  const [review, setReview] = useState<ReviewCaseDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<'upheld' | 'overturned'>('upheld');
  const [reason, setReason] = useState('');
  const [drafts, setDrafts] = useState<ActionDraft[]>([]);
  const [adding, setAdding] = useState<ReviewActionType>('reassignTeam');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => api.getReview(caseId).then(setReview).catch(e => setError(toApiError(e))), [api, caseId]);
  useEffect(() => {
    load();
  }, [load]);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(null);
      await load();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const canDecide = canDecideReviews(me.activeWorkspace.role);
  const problems = outcome === 'overturned' ? drafts.map(draftProblem).filter(Boolean) : [];
  const ready = reason.trim().length > 0 && problems.length === 0 && (outcome === 'upheld' || drafts.length > 0);
  const contestedRun = review?.instances.find(i => i.instanceId === review.instanceId);
  const setDraft = (i: number, patch: Partial<ActionDraft>) => setDrafts(ds => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const openRecord = async () => {
    try {
      const html = await api.reviewRecordHtml(caseId);
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <main className="page review-view">
      <p><a href="/studio/reviews" onClick={linkClick('/studio/reviews')}>← All reviews</a></p>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {review && (
        <>
          <h1>Case {review.reference} <span className={`badge status-${review.status}`} data-testid="review-status">{review.status}</span></h1>
          <dl className="facts">
            <dt>Customer</dt><dd>{review.contactName ?? 'unknown'} ({review.channel}, by {review.source})</dd>
            <dt>Their words</dt><dd data-testid="customer-words">“{review.customerWords}”</dd>
            <dt>Opened</dt><dd>{new Date(review.openedAt).toLocaleString()}</dd>
            <dt>Due</dt><dd className={review.overdue ? 'error' : undefined}>{new Date(review.dueAt).toLocaleString()}{review.overdue && ' (overdue)'}</dd>
            <dt>Assignee</dt><dd>{review.assigneeName ?? '—'}</dd>
            <dt>Contested step</dt>
            <dd>{review.flowName} v{review.flowVersion} · <code>{review.contestedNodeId ?? '(the run as a whole)'}</code>
              {review.contestedExplanation && <> — <em data-testid="contested-explanation">{review.contestedExplanation}</em></>}</dd>
          </dl>
          <p>
            <button type="button" onClick={() => downloadJson(`review-${review.reference}.json`, review)}>Download JSON</button>{' '}
            <button type="button" onClick={openRecord}>Printable record</button>
          </p>

          {review.decision && (
            <section aria-label="Decision" data-testid="decision">
              <h2>Decision: {review.decision.outcome}</h2>
              <p>{review.decision.reason} <span className="muted">— {review.decision.decidedByName ?? 'a reviewer'}, {new Date(review.decision.decidedAt).toLocaleString()}</span></p>
              {review.decision.actions.length > 0 && (
                <ul>{review.decision.actions.map((a, i) => <li key={i}>{actionLabels[a.type]}: {a.result}</li>)}</ul>
              )}
              <p>Told the customer: {review.decision.customerMessage ? <q data-testid="customer-message">{review.decision.customerMessage}</q> : <em>not sent (see the trail)</em>}</p>
            </section>
          )}

          {canDecide && isOpen(review) && (
            <section aria-label="Decide" className="decide">
              {review.status === 'open' && (
                <p><button type="button" data-testid="start-review" disabled={busy} onClick={() => act(() => api.startReview(caseId))}>Start review</button></p>
              )}
              <h2>Decide</h2>
              <fieldset>
                <label><input type="radio" name="outcome" data-testid="outcome-upheld" checked={outcome === 'upheld'} onChange={() => setOutcome('upheld')} /> Upheld: the decision stands</label>
                <label><input type="radio" name="outcome" data-testid="outcome-overturned" checked={outcome === 'overturned'} onChange={() => setOutcome('overturned')} /> Overturned: correct it</label>
              </fieldset>
              <label>Reason (the customer reads it)
                <textarea data-testid="review-reason" rows={3} value={reason} onChange={e => setReason(e.target.value)} />
              </label>
              {outcome === 'overturned' && (
                <div className="actions-editor">
                  <h3>Corrective actions</h3>
                  {drafts.map((d, i) => (
                    <div key={i} className="action-row" data-testid={`action-${i}`}>
                      <strong>{actionLabels[d.type]}</strong>{' '}
                      {d.type === 'reassignTeam' && (
                        <select aria-label="Team" data-testid={`action-${i}-team`} value={d.teamId} onChange={e => setDraft(i, { teamId: e.target.value })}>
                          <option value="">Choose a team</option>
                          {teams.map(t => <option key={t.id} value={t.id}>{t.name}</option>)}
                        </select>
                      )}
                      {d.type === 'assignAgent' && (
                        <select aria-label="Agent" value={d.memberId} onChange={e => setDraft(i, { memberId: e.target.value })}>
                          <option value="">Choose an agent</option>
                          {members.map(m => <option key={m.userId} value={m.userId}>{m.displayName}</option>)}
                        </select>
                      )}
                      {(d.type === 'setAttribute' || d.type === 'clearAttribute') && (
                        <input aria-label="Attribute" placeholder="attribute" value={d.key} onChange={e => setDraft(i, { key: e.target.value })} />
                      )}
                      {d.type === 'setAttribute' && <input aria-label="Value" placeholder="value" value={d.value} onChange={e => setDraft(i, { value: e.target.value })} />}
                      {(d.type === 'addTag' || d.type === 'removeTag') && <input aria-label="Tag" placeholder="tag" value={d.tag} onChange={e => setDraft(i, { tag: e.target.value })} />}
                      {d.type === 'sendMessage' && <textarea aria-label="Message" rows={2} value={d.text} onChange={e => setDraft(i, { text: e.target.value })} />}
                      {d.type === 'restartFlow' && (
                        <select aria-label="Step" value={d.nodeId} onChange={e => setDraft(i, { nodeId: e.target.value })}>
                          <option value="">Choose a step</option>
                          {(contestedRun?.graph.nodes ?? []).map(n => <option key={n.id} value={n.id}>{n.id}</option>)}
                        </select>
                      )}
                      <button type="button" aria-label={`Remove action ${i + 1}`} onClick={() => setDrafts(ds => ds.filter((_, j) => j !== i))}>×</button>
                      {draftProblem(d) && <small className="error">{draftProblem(d)}</small>}
                    </div>
                  ))}
                  <select aria-label="Action to add" data-testid="action-type" value={adding} onChange={e => setAdding(e.target.value as ReviewActionType)}>
                    {Object.entries(actionLabels).map(([type, label]) => <option key={type} value={type}>{label}</option>)}
                  </select>{' '}
                  <button type="button" data-testid="add-action" onClick={() => setDrafts(ds => [...ds, emptyDraft(adding)])}>Add action</button>
                  {drafts.length === 0 && <p className="muted">An overturned decision needs at least one corrective action.</p>}
                </div>
              )}
              <p>
                <button type="button" className="primary" data-testid="submit-decision" disabled={!ready || busy}
                  onClick={() => act(() => api.decideReview(caseId, outcome, reason.trim(), outcome === 'overturned' ? drafts.map(toAction) : []))}>
                  Decide: {outcome}
                </button>
              </p>
            </section>
          )}

          <h2>Conversation</h2>
          <ol className="transcript" data-testid="transcript">
            {review.transcript.map(m => (
              <li key={m.id} className={m.direction}>
                <span className="muted">{m.direction === 'inbound' ? 'Customer' : m.senderType} · {new Date(m.sentAt).toLocaleString()}</span>
                <div>{m.text ?? '(attachment)'}</div>
              </li>
            ))}
          </ol>

          {review.instances.map(run => (
            <section key={run.instanceId} aria-label={`Run ${run.instanceId}`} data-testid={`run-${run.instanceId}`}>
              <h2>{run.flowName} v{run.version} <span className="muted">{run.status}, started {new Date(run.startedAt).toLocaleString()}</span></h2>
              <RunGraph graph={run.graph} path={run.path} contested={run.instanceId === review.instanceId ? review.contestedNodeId : null} />
              <JournalTable journal={run.journal} contestedSequence={run.instanceId === review.instanceId ? review.contestedSequence : null}
                testId={`journal-${run.instanceId}`} />
            </section>
          ))}

          <h2>Trail</h2>
          <ul className="trail">
            {review.trail.map((t, i) => <li key={i}>{new Date(t.at).toLocaleString()} · {t.actor ?? 'system'} · {t.action}{t.detail && `: ${t.detail}`}</li>)}
          </ul>
        </>
      )}
    </main>
  );
}
