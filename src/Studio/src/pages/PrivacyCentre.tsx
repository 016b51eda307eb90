import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { LegalHold, NewPrivacyRequest, PrivacyExport, PrivacyRequest, PrivacyRequestType } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { countdown, hasExport, isOpenRequest } from '../privacy/cases';
import { linkClick } from '../router';
import { saveBlob } from './FlowsList';
import { runAction } from '../api/runAction';
import { RetentionSection } from './RetentionSection';

const types: PrivacyRequestType[] = ['access', 'portability', 'erasure', 'restriction', 'objection', 'consentWithdrawal', 'correction'];

/** The workspace's privacy work for its data protection officer: requests with their deadlines, exports, legal holds. */
export function PrivacyCentre() {
  const { api, readOnly, me } = useStudio();
  const [requests, setRequests] = useState<PrivacyRequest[]>([]);
  const [holds, setHolds] = useState<LegalHold[]>([]);
  // A link from a contact's Privacy tab opens its request here.
  const [selected, setSelected] = useState<string | null>(() => new URLSearchParams(window.location.search).get('request'));
  const [error, setError] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<{ type: PrivacyRequestType; channel: NewPrivacyRequest['channel']; email: string }>({ type: 'access', channel: 'email', email: '' });
  const [holdReason, setHoldReason] = useState('');

  const load = useCallback(async () => {
    try {
      const [list, legal] = await Promise.all([api.listPrivacyRequests(), api.listLegalHolds()]);
      setRequests(list);
      setHolds(legal);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);
  useEffect(() => {
    load();
  }, [load]);

  const act = (action: () => Promise<unknown>) => runAction(action, load, setError);

  const owner = me.activeWorkspace.role.toLowerCase() === 'owner';
  const current = requests.find(r => r.id === selected) ?? null;

  return (
    <main className="page privacy-centre">
      <h1>Privacy</h1>
      <p className="muted">Requests people make about their data: answered within their due date (30 days at most), every step on the timeline.</p>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <table className="table" aria-label="Privacy requests" data-testid="privacy-requests">
        <thead><tr><th scope="col">Type</th><th scope="col">Came by</th><th scope="col">Status</th><th scope="col">Received</th><th scope="col">Due</th><th scope="col" /></tr></thead>
        <tbody>
          {requests.length === 0 && <tr><td colSpan={6} className="muted">No request.</td></tr>}
          {requests.map(r => (
            <tr key={r.id} className={r.overdue ? 'overdue' : undefined} data-testid={`privacy-request-${r.id}`}>
              <td>{r.type}{r.purpose && ` (${r.purpose})`}</td>
              <td>{r.channel}</td>
              <td><span className={`badge status-${r.status}`}>{r.status}</span></td>
              <td>{new Date(r.receivedAt).toLocaleDateString()}</td>
              <td>{new Date(r.dueAt).toLocaleDateString()} <span className={r.overdue ? 'error' : 'muted'} data-testid="countdown">{countdown(r)}</span></td>
              <td><button type="button" data-testid={`open-request-${r.id}`} onClick={() => setSelected(r.id)}>Open</button></td>
            </tr>
          ))}
        </tbody>
      </table>

      {current && <RequestDetail key={current.id} request={current} readOnly={readOnly} act={act} />}

      {!readOnly && <h2>Record a request</h2>}
      {!readOnly && (
        <form className="inline-form" aria-label="Record a request" onSubmit={e => {
          e.preventDefault();
          act(() => api.createPrivacyRequest({ type: draft.type, channel: draft.channel, email: draft.email.trim() }));
        }}>
          <label>Type <select data-testid="new-request-type" value={draft.type} onChange={e => setDraft({ ...draft, type: e.target.value as PrivacyRequestType })}>
            {types.filter(t => !['objection', 'consentWithdrawal', 'correction'].includes(t)).map(t => <option key={t} value={t}>{t}</option>)}
          </select></label>{' '}
          <label>Came by <select value={draft.channel} onChange={e => setDraft({ ...draft, channel: e.target.value as NewPrivacyRequest['channel'] })}>
            {(['email', 'phone', 'chat', 'api'] as const).map(c => <option key={c} value={c}>{c}</option>)}
          </select></label>{' '}
          <label>Person's email <input type="email" data-testid="new-request-email" required value={draft.email} onChange={e => setDraft({ ...draft, email: e.target.value })} /></label>{' '}
          <button type="submit" data-testid="create-request">Record</button>
        </form>
      )}

      <h2>Legal holds</h2>
      <ul data-testid="legal-holds">
        {holds.length === 0 && <li className="muted">None: every erasure request can be carried out.</li>}
        {holds.map(h => (
          <li key={h.id}>{h.contactId ? <ContactLink id={h.contactId} testId="hold-contact">A contact</ContactLink> : 'The whole workspace'}: {h.reason}{' '}
            <span className="muted">since {new Date(h.placedAt).toLocaleDateString()}{h.releasedAt && `, released ${new Date(h.releasedAt).toLocaleDateString()}`}</span>
            {h.active && owner && <button type="button" onClick={() => act(() => api.releaseLegalHold(h.id))}>Release</button>}
          </li>
        ))}
      </ul>
      {owner && (
        <form className="inline-form" aria-label="Place a workspace hold" onSubmit={e => {
          e.preventDefault();
          act(() => api.placeLegalHold(holdReason.trim())).then(() => setHoldReason(''));
        }}>
          <label>Hold the whole workspace's data, because <input value={holdReason} onChange={e => setHoldReason(e.target.value)} required /></label>{' '}
          <button type="submit">Place hold</button>
        </form>
      )}
      <RetentionSection />
    </main>
  );
}

function RequestDetail({ request, readOnly, act }: { request: PrivacyRequest; readOnly: boolean; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const { api } = useStudio();
  const [exports, setExports] = useState<PrivacyExport[]>([]);
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState({ reason: '', legalBasis: '' });
  const open = isOpenRequest(request);

  const loadExports = useCallback(() => {
    if (hasExport(request)) api.listPrivacyExports(request.id).then(setExports).catch(() => setExports([]));
  }, [api, request]);
  useEffect(() => {
    loadExports();
    // An export is built in the background: look again until it is done.
    const building = setInterval(loadExports, 2000);
    return () => clearInterval(building);
  }, [loadExports]);

  const save = async () => saveBlob(`privacy-export-${request.id}.zip`, await api.download(`/api/v1/privacy/requests/${request.id}/export`));

  return (
    <section className="privacy-request" aria-label="Request" data-testid="privacy-request">
      <h2>{request.type} request <span className={`badge status-${request.status}`} data-testid="request-status">{request.status}</span></h2>
      <p>Due {new Date(request.dueAt).toLocaleString()} ({countdown(request)}){request.subjectErased && ' · the person has been erased'}
        {request.contactId && !request.subjectErased && <> · <ContactLink id={request.contactId} testId="subject-contact">the person's privacy page</ContactLink></>}</p>
      {request.outcome && <p data-testid="request-outcome">{request.outcome}</p>}
      {request.refusalReason && <p>Refused: {request.refusalReason} ({request.refusalLegalBasis})</p>}
      {hasExport(request) && (
        <div>
          <h3>Exports</h3>
          <ul data-testid="exports">
            {exports.map(e => (
              <li key={e.id}>{e.status}{e.readyAt && `, ready ${new Date(e.readyAt).toLocaleString()}, ${Math.ceil(e.sizeBytes / 1024)} KB, downloadable until ${new Date(e.expiresAt!).toLocaleString()}`}
                {e.error && <span className="error"> {e.error}</span>}</li>
            ))}
          </ul>
          {!readOnly && open && <button type="button" data-testid="start-export" onClick={() => act(() => api.startPrivacyExport(request.id)).then(loadExports)}>Build export</button>}{' '}
          {!readOnly && exports.some(e => e.status === 'ready') && <button type="button" data-testid="download-export" onClick={() => act(save)}>Download</button>}
        </div>
      )}
      {!readOnly && open && (
        <div className="request-actions">
          {request.status === 'received' && <button type="button" data-testid="start-request" onClick={() => act(() => api.startPrivacyRequest(request.id))}>Start</button>}
          <label>Note <input value={note} onChange={e => setNote(e.target.value)} placeholder="how it was answered" /></label>
          <button type="button" className="primary" data-testid="complete-request" onClick={() => act(() => api.completePrivacyRequest(request.id, note || undefined))}>
            {request.type === 'erasure' ? 'Erase and complete' : 'Complete'}
          </button>
          <details>
            <summary>Refuse</summary>
            <label>Reason <input value={refusal.reason} onChange={e => setRefusal({ ...refusal, reason: e.target.value })} /></label>
            <label>Legal basis <input value={refusal.legalBasis} onChange={e => setRefusal({ ...refusal, legalBasis: e.target.value })} /></label>
            <button type="button" className="danger" onClick={() => act(() => api.refusePrivacyRequest(request.id, refusal.reason, refusal.legalBasis))}>Refuse</button>
          </details>
        </div>
      )}
      <h3>Timeline</h3>
      <ol className="trail" data-testid="request-timeline">
        {request.timeline.map((t, i) => <li key={i}>{new Date(t.at).toLocaleString()} · {t.what}{t.detail && `: ${t.detail}`}</li>)}
      </ol>
    </section>
  );
}

function ContactLink({ id, testId, children }: { id: string; testId: string; children: React.ReactNode }) {
  const path = `/studio/contacts/${id}?tab=privacy`;
  return <a href={path} onClick={linkClick(path)} data-testid={testId}>{children}</a>;
}
