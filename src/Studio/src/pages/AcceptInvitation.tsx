import { useState } from 'react';
import type { ApiClient } from '../api/client';
import { describe, Field } from '../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../admin/fieldErrors';
import { ErrorBanner } from '../components/ErrorBanner';

/** Where an invitation link leads: the token stays in the fragment, so it is never sent in a URL or logged. */
export function AcceptInvitation({ api, onAccepted }: { api: ApiClient; onAccepted(): void }) {
  const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [adult, setAdult] = useState(false);
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [done, setDone] = useState<string | null>(null);

  if (done) {
    return (
      <main className="centered">
        <h1>Welcome to {done}</h1>
        <button type="button" className="primary" onClick={onAccepted}>Sign in</button>
      </main>
    );
  }
  return (
    <main className="centered">
      <h1>Join a workspace</h1>
      {!token && <p className="error" role="alert">This link has no invitation token. Ask for a new invitation.</p>}
      <form className="property-panel" aria-label="Accept the invitation" noValidate onSubmit={async e => {
        e.preventDefault();
        try {
          const membership = await api.request<{ workspaceName?: string; name?: string }>('POST', '/api/v1/invitations/accept',
            { token, password, displayName: displayName.trim() || null, confirmAdult: adult });
          setDone(membership.workspaceName ?? membership.name ?? 'the workspace');
        } catch (err) {
          setProblem(formProblem(err, ['password', 'displayName', 'confirmAdult']));
        }
      }}>
        <Field id="accept-name" label="Your name" error={problem.fields.displayName}>
          <input id="accept-name" value={displayName} onChange={e => setDisplayName(e.target.value)} autoComplete="name"
            {...describe('accept-name', problem.fields.displayName)} />
        </Field>
        <Field id="accept-password" label="Password" error={problem.fields.password} hint="A new password, or the one of your existing account.">
          <input id="accept-password" type="password" value={password} onChange={e => setPassword(e.target.value)} autoComplete="new-password"
            {...describe('accept-password', problem.fields.password, true)} />
        </Field>
        <Field id="accept-adult" label="Age" error={problem.fields.confirmAdult}>
          <label className="checkbox">
            <input id="accept-adult" data-testid="accept-adult" type="checkbox" checked={adult} onChange={e => setAdult(e.target.checked)}
              {...describe('accept-adult', problem.fields.confirmAdult, true)} />
            {' '}I am 18 or older, and I accept the <a href="/privacy" target="_blank" rel="noopener">privacy policy</a>.
          </label>
        </Field>
        <button type="submit" className="primary" disabled={!token}>Join</button>
      </form>
      <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
    </main>
  );
}
