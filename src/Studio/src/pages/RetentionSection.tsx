import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { describePurge, retentionProblems, toBody, toForm, type PurgeReport, type RetentionForm, type RetentionSettings } from '../privacy/retention';

const fields: { key: keyof RetentionForm & string; label: string; hint: string }[] = [
  { key: 'journalDays', label: 'Automation journal', hint: 'The record of automated decisions.' },
  { key: 'exportDays', label: 'Privacy exports', hint: 'Up to 30 days after they are ready.' },
  { key: 'processedPayloadDays', label: 'Processed channel payloads', hint: 'Raw provider deliveries already in the inbox, and sent outbox rows; up to 30 days.' },
  { key: 'auditDays', label: 'Audit events', hint: 'Sign-ins, changes and every access to personal data.' },
];

/**
 * How long the workspace keeps each kind of data (privacy policy §4.3), its last purge, and a purge on demand. Owners
 * change them; Admins and Auditors read them. Conversations and contacts outlive their messages, so reports survive.
 */
export function RetentionSection() {
  const { api, me } = useStudio();
  const owner = me.activeWorkspace.role.toLowerCase() === 'owner';
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [form, setForm] = useState<RetentionForm | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = (s: RetentionSettings) => {
    setSettings(s);
    setForm(toForm(s));
  };
  useEffect(() => {
    api.request<RetentionSettings>('GET', '/api/v1/workspace/retention').then(load).catch(e => setError(toApiError(e)));
  }, [api]);
  if (!settings || !form) return <ErrorBanner error={error} onDismiss={() => setError(null)} />;

  const problems = retentionProblems(form);
  const set = (patch: Partial<RetentionForm>) => {
    setForm({ ...form, ...patch });
    setNote(null);
  };
  const fieldError = (key: string) => problems[key] ?? error?.fieldErrors[key]?.[0];

  return (
    <section aria-labelledby="retention-heading" data-testid="retention">
      <h2 id="retention-heading">Data retention</h2>
      <p className="muted">What has expired is deleted every night; conversations and contacts stay with their dates and counters.
        {!owner && ' Only an Owner changes these.'}</p>
      <form noValidate onSubmit={async e => {
        e.preventDefault();
        try {
          load(await api.request<RetentionSettings>('PUT', '/api/v1/workspace/retention', toBody(form)));
          setNote('Saved.');
          setError(null);
        } catch (err) {
          setError(toApiError(err));
        }
      }}>
        <fieldset disabled={!owner}>
          <label htmlFor="retention-messageDays">Messages and their files (days)</label>
          <input id="retention-messageDays" data-testid="retention-messageDays" inputMode="numeric" value={form.messageDays} disabled={form.keepUntilDeleted}
            aria-invalid={!!fieldError('messageDays')} onChange={e => set({ messageDays: e.target.value })} />
          <label className="checkbox">
            <input type="checkbox" data-testid="retention-until-deleted" checked={form.keepUntilDeleted} onChange={e => set({ keepUntilDeleted: e.target.checked })} />
            {' '}Keep messages until they are deleted
          </label>
          {form.keepUntilDeleted && (
            <>
              <label htmlFor="retention-reason">Why (shown in the record of processing)</label>
              <input id="retention-reason" data-testid="retention-reason" value={form.keepMessagesReason} onChange={e => set({ keepMessagesReason: e.target.value })} />
            </>
          )}
          {fieldError('messageDays') && <small className="error" role="alert">{fieldError('messageDays')}</small>}
          {fieldError('keepMessagesReason') && <small className="error" role="alert" data-testid="retention-reason-error">{fieldError('keepMessagesReason')}</small>}
          {fields.map(f => (
            <div key={f.key}>
              <label htmlFor={`retention-${f.key}`}>{f.label} (days)</label>
              <input id={`retention-${f.key}`} data-testid={`retention-${f.key}`} inputMode="numeric" value={form[f.key] as string}
                aria-invalid={!!fieldError(f.key)} aria-describedby={`retention-${f.key}-hint`} onChange={e => set({ [f.key]: e.target.value })} />
              <small id={`retention-${f.key}-hint`} className="muted">{f.hint}</small>
              {fieldError(f.key) && <small className="error" role="alert" data-testid={`retention-${f.key}-error`}>{fieldError(f.key)}</small>}
            </div>
          ))}
          <button type="submit" className="primary" data-testid="save-retention" disabled={Object.keys(problems).length > 0}>Save retention</button>{' '}
          <button type="button" data-testid="purge-now" onClick={async () => {
            try {
              const report = await api.request<PurgeReport>('POST', '/api/v1/workspace/retention/purge');
              setNote(describePurge(report));
              load(await api.request<RetentionSettings>('GET', '/api/v1/workspace/retention'));
            } catch (err) {
              setError(toApiError(err));
            }
          }}>Purge expired data now</button>
        </fieldset>
      </form>
      {note && <p role="status" data-testid="retention-note">{note}</p>}
      <p className="muted" data-testid="last-purge">{settings.lastPurge
        ? `Last purge ${new Date(settings.lastPurge.at).toLocaleString()}: ${settings.lastPurge.details.replaceAll(';', ', ')}`
        : 'No purge has run yet.'}</p>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
