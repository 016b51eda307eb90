import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { AuditEvent, ChannelIdentity, ConsentRecord, Contact, LegalHold, PrivacyRequest, PrivacyRequestType } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { countdown } from '../privacy/cases';
import { consentsByPurpose, standing } from '../privacy/contact';
import { linkClick } from '../router';
import { runAction } from '../api/runAction';

/** Find a person the workspace holds data about: by name prefix, email, phone or channel account. */
export function Contacts() {
  const { api } = useStudio();
  const [search, setSearch] = useState('');
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (term: string) => {
    try {
      setError(null);
      setContacts((await api.listContacts(term.trim())).items);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);
  useEffect(() => {
    load('');
  }, [load]);

  return (
    <main className="page contacts">
      <h1>Contacts</h1>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <form className="inline-form" role="search" onSubmit={e => {
        e.preventDefault();
        load(search);
      }}>
        <label>Find <input type="search" data-testid="contact-search" value={search} placeholder="name, email, phone or account"
          onChange={e => setSearch(e.target.value)} /></label>{' '}
        <button type="submit">Search</button>
      </form>
      <table className="table" aria-label="Contacts" data-testid="contacts">
        <thead><tr><th scope="col">Name</th><th scope="col">Phone</th><th scope="col">Email</th><th scope="col">Flags</th></tr></thead>
        <tbody>
          {contacts.length === 0 && <tr><td colSpan={4} className="muted">No contact found.</td></tr>}
          {contacts.map(c => (
            <tr key={c.id}>
              <td><a href={`/studio/contacts/${c.id}`} onClick={linkClick(`/studio/contacts/${c.id}`)} data-testid={`contact-${c.id}`}>{c.displayName}</a></td>
              <td>{c.phoneNumbers.join(', ')}</td>
              <td>{c.emails.join(', ')}</td>
              <td>{[c.processingRestricted && 'restricted', c.blocked && 'blocked', c.marketingConsent && 'marketing'].filter(Boolean).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

type Tab = 'profile' | 'privacy';

/** One person: who they are on which channels, and on the Privacy tab what the business may do with their data. */
export function ContactView({ contactId }: { contactId: string }) {
  const { api } = useStudio();
  const [contact, setContact] = useState<Contact | null>(null);
  const [identities, setIdentities] = useState<ChannelIdentity[]>([]);
  const [tab, setTab] = useState<Tab>(() => (new URLSearchParams(window.location.search).get('tab') === 'privacy' ? 'privacy' : 'profile'));
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    Promise.all([api.getContact(contactId), api.contactIdentities(contactId)])
      .then(([c, i]) => {
        setContact(c);
        setIdentities(i);
      })
      .catch(e => setError(toApiError(e)));
  }, [api, contactId]);

  const show = (next: Tab) => {
    setTab(next);
    window.history.replaceState(null, '', `/studio/contacts/${contactId}${next === 'privacy' ? '?tab=privacy' : ''}`);
  };

  if (!contact) return <main className="page"><ErrorBanner error={error} />{!error && <p>Loading…</p>}</main>;
  return (
    <main className="page contact">
      <p><a href="/studio/contacts" onClick={linkClick('/studio/contacts')}>← Contacts</a></p>
      <h1 data-testid="contact-name">{contact.displayName}</h1>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div role="tablist" aria-label="Contact" className="tabs">
        {(['profile', 'privacy'] as const).map(t => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} data-testid={`contact-tab-${t}`} onClick={() => show(t)}>
            {t === 'profile' ? 'Profile' : 'Privacy'}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="tab-body">
        {tab === 'profile' ? <Profile contact={contact} identities={identities} /> : <PrivacyTab contact={contact} />}
      </div>
    </main>
  );
}

function Profile({ contact, identities }: { contact: Contact; identities: ChannelIdentity[] }) {
  return (
    <dl className="facts">
      <dt>Phone numbers</dt><dd>{contact.phoneNumbers.join(', ') || '—'}</dd>
      <dt>Emails</dt><dd>{contact.emails.join(', ') || '—'}</dd>
      <dt>Company</dt><dd>{contact.company ?? '—'}</dd>
      <dt>Channels</dt>
      <dd><ul>{identities.map(i => <li key={i.id}>{i.channel}: {i.username ? `@${i.username}` : i.externalId}</li>)}</ul></dd>
      <dt>Tags</dt><dd>{contact.tags.join(', ') || '—'}</dd>
      <dt>Attributes</dt>
      <dd>{Object.entries(contact.attributes).map(([k, v]) => <div key={k}>{k}: {v}</div>)}</dd>
      <dt>In the workspace since</dt><dd>{new Date(contact.createdAt).toLocaleDateString()}</dd>
    </dl>
  );
}

const requestTypes: PrivacyRequestType[] = ['access', 'portability', 'erasure', 'restriction', 'objection', 'consentWithdrawal'];

function PrivacyTab({ contact }: { contact: Contact }) {
  const { api, readOnly, me } = useStudio();
  const [consents, setConsents] = useState<ConsentRecord[]>([]);
  const [holds, setHolds] = useState<LegalHold[]>([]);
  const [requests, setRequests] = useState<PrivacyRequest[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<{ type: PrivacyRequestType; purpose: 'automation' | 'marketing' | 'analytics' }>({ type: 'access', purpose: 'marketing' });
  const [holdReason, setHoldReason] = useState('');

  const load = useCallback(async () => {
    try {
      // The contact itself is the page's (read once): what this tab does (requests, holds) does not change it.
      const [c, h, r] = await Promise.all([api.contactConsents(contact.id), api.listLegalHolds(contact.id), api.listPrivacyRequests(contact.id)]);
      setConsents(c);
      // A hold on the whole workspace covers this person too.
      setHolds(h);
      setRequests(r);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api, contact.id]);
  useEffect(() => {
    load();
  }, [load]);

  const act = (action: () => Promise<unknown>) => runAction(action, load, setError);

  const owner = me.activeWorkspace.role.toLowerCase() === 'owner';
  const needsPurpose = draft.type === 'objection' || draft.type === 'consentWithdrawal';
  const byPurpose = consentsByPurpose(consents);

  return (
    <section aria-label="Privacy" data-testid="contact-privacy">
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <table className="table" aria-label="What may be done with this person's data" data-testid="privacy-standing">
        <tbody>
          {standing(contact, consents, holds, requests).map(s => (
            <tr key={s.label} data-testid={`standing-${s.label}`}>
              <th scope="row">{s.label}</th>
              <td><span className={`badge standing-${s.state}`}>{s.state}</span></td>
              <td>{s.why}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Consents</h2>
      {byPurpose.size === 0 && <p className="muted">No consent was ever recorded.</p>}
      {[...byPurpose].map(([purpose, records]) => (
        <div key={purpose}>
          <h3>{purpose}</h3>
          <ol className="trail" data-testid={`consents-${purpose}`}>
            {records.map((r, i) => (
              <li key={i}>{new Date(r.recordedAt).toLocaleString()} · {r.granted ? 'granted' : 'withdrawn'} · {r.source} ({r.legalBasis})</li>
            ))}
          </ol>
        </div>
      ))}

      <h2>Requests</h2>
      <table className="table" aria-label="This person's privacy requests" data-testid="contact-requests">
        <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col" /></tr></thead>
        <tbody>
          {requests.length === 0 && <tr><td colSpan={4} className="muted">No request.</td></tr>}
          {requests.map(r => (
            <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
              <td>{r.type}{r.purpose && ` (${r.purpose})`}</td>
              <td><span className={`badge status-${r.status}`}>{r.status}</span></td>
              <td>{new Date(r.dueAt).toLocaleDateString()} <span className={r.overdue ? 'error' : 'muted'}>{countdown(r)}</span></td>
              <td><a href={`/studio/privacy?request=${r.id}`} onClick={linkClick(`/studio/privacy?request=${r.id}`)}>Open in the privacy centre</a></td>
            </tr>
          ))}
        </tbody>
      </table>
      {!readOnly && (
        <form className="inline-form" aria-label="Record a request for this person" onSubmit={e => {
          e.preventDefault();
          act(() => api.createPrivacyRequest({ type: draft.type, channel: 'api', contactId: contact.id, purpose: needsPurpose ? draft.purpose : undefined }));
        }}>
          <label>Type <select data-testid="contact-request-type" value={draft.type} onChange={e => setDraft({ ...draft, type: e.target.value as PrivacyRequestType })}>
            {requestTypes.map(t => <option key={t} value={t}>{t}</option>)}
          </select></label>{' '}
          {needsPurpose && (
            <label>Purpose <select data-testid="contact-request-purpose" value={draft.purpose}
              onChange={e => setDraft({ ...draft, purpose: e.target.value as typeof draft.purpose })}>
              {(['marketing', 'automation', 'analytics'] as const).map(p => <option key={p} value={p}>{p}</option>)}
            </select></label>
          )}{' '}
          <button type="submit" data-testid="contact-record-request">Record request</button>
        </form>
      )}

      <AccessTrail contactId={contact.id} />

      <h2>Legal holds</h2>
      <ul data-testid="contact-holds">
        {holds.length === 0 && <li className="muted">None.</li>}
        {holds.map(h => (
          <li key={h.id}>{h.contactId ? 'This person' : 'The whole workspace'}: {h.reason}{' '}
            <span className="muted">since {new Date(h.placedAt).toLocaleDateString()}{h.releasedAt && `, released ${new Date(h.releasedAt).toLocaleDateString()}`}</span>
            {h.active && owner && h.contactId && <button type="button" onClick={() => act(() => api.releaseLegalHold(h.id))}>Release</button>}
          </li>
        ))}
      </ul>
      {owner && (
        <form className="inline-form" aria-label="Place a hold on this person" onSubmit={e => {
          e.preventDefault();
          act(() => api.placeLegalHold(holdReason.trim(), contact.id)).then(() => setHoldReason(''));
        }}>
          <label>Keep this person's data, because <input data-testid="contact-hold-reason" value={holdReason} onChange={e => setHoldReason(e.target.value)} required /></label>{' '}
          <button type="submit" data-testid="contact-place-hold">Place hold</button>
        </form>
      )}
    </section>
  );
}

/** Who read this person's data: the audit of access, newest first (Owners, Admins and Auditors). */
function AccessTrail({ contactId }: { contactId: string }) {
  const { api, members } = useStudio();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    api.contactAccess(contactId).then(page => setEvents(page.items)).catch(() => setRefused(true));
  }, [api, contactId]);

  const who = (actor: string | null) => members.find(m => m.userId === actor)?.displayName ?? actor ?? 'unknown';
  return (
    <>
      <h2>Who accessed this person's data</h2>
      {refused && <p className="muted">Only Owners, Admins and Auditors see the access log.</p>}
      {events && (
        <table className="table" aria-label="Access to this person's data" data-testid="contact-access">
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Through</th><th scope="col">From</th></tr></thead>
          <tbody>
            {events.length === 0 && <tr><td colSpan={5} className="muted">No access recorded yet.</td></tr>}
            {events.map(e => (
              <tr key={e.id}>
                <td>{new Date(e.occurredAt).toLocaleString()}</td>
                <td>{who(e.actor)}</td>
                <td>{e.action}</td>
                <td>{e.client ?? '—'}</td>
                <td title={e.userAgent ?? undefined}>{e.ipAddress ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
