import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { Me, WorkspaceClosure } from '../api/types';
import { formatDay, policyLine, soleOwnerWarning } from '../account/account';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';

interface AccountDeleted { closedWorkspaces: WorkspaceClosure[]; leftWorkspaces: string[] }

/**
 * The signed-in person's own account: what they confirmed (18 or older, the privacy policy version and when), and
 * deleting the account. Deleting asks for the password; when they are the only Owner of a workspace the server names
 * it first and they confirm that it closes.
 */
export function Account() {
  const { api, me, signOut } = useStudio();
  const [details, setDetails] = useState<Me>(me);
  const [password, setPassword] = useState('');
  const [warning, setWarning] = useState<string | null>(null);
  const [closeWorkspaces, setCloseWorkspaces] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [deleted, setDeleted] = useState<AccountDeleted | null>(null);

  useEffect(() => {
    api.me().then(setDetails).catch(e => setError(toApiError(e)));
  }, [api]);

  if (deleted) {
    return (
      <main className="page" data-testid="account-deleted">
        <h1>Your account was deleted</h1>
        <p>Your name, email address and password are gone. Messages you wrote stay in the workspaces, attributed to a former member.
          A confirmation was sent to {details.email}.</p>
        {deleted.closedWorkspaces.length > 0 && (
          <p>Closed, as you confirmed: {deleted.closedWorkspaces.map(w => `${w.name} (data kept until ${formatDay(w.purgeAt)})`).join(', ')}.</p>
        )}
        <button type="button" className="primary" data-testid="leave" onClick={signOut}>Finish</button>
      </main>
    );
  }

  return (
    <main className="page admin-page">
      <h1>Your account</h1>
      <section aria-labelledby="account-heading">
        <h2 id="account-heading">{details.displayName}</h2>
        <dl>
          <dt>Email</dt><dd>{details.email}</dd>
          <dt>Age</dt><dd data-testid="adult-confirmed">{details.adultConfirmedAt ? `Confirmed 18 or older on ${formatDay(details.adultConfirmedAt)}` : 'Not confirmed'}</dd>
          <dt>Privacy policy</dt><dd data-testid="policy-status">{policyLine(details.policy)} <a href="/privacy" target="_blank" rel="noopener">Read it</a></dd>
        </dl>
      </section>
      <section className="danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>Your name, email address and password are deleted and you leave every workspace. What you wrote stays, attributed to a former
          member. Workspaces where you are the only Owner are closed.</p>
        <form noValidate onSubmit={async e => {
          e.preventDefault();
          try {
            setDeleted(await api.request<AccountDeleted>('DELETE', '/api/v1/me', { password, closeWorkspaces }));
          } catch (err) {
            const apiError = toApiError(err);
            const sole = soleOwnerWarning(apiError);
            if (sole) setWarning(sole);
            else setError(apiError);
          }
        }}>
          <label htmlFor="delete-password">Your password</label>
          <input id="delete-password" data-testid="delete-password" type="password" autoComplete="current-password" value={password}
            onChange={e => setPassword(e.target.value)} />
          {warning && (
            <div role="alert" className="notice" data-testid="sole-owner-warning">
              <p>{warning}</p>
              <label className="checkbox">
                <input type="checkbox" data-testid="close-workspaces" checked={closeWorkspaces} onChange={e => setCloseWorkspaces(e.target.checked)} />
                {' '}Close them and delete my account
              </label>
            </div>
          )}
          <button type="submit" className="danger" data-testid="delete-account" disabled={!password || (!!warning && !closeWorkspaces)}>Delete my account</button>
        </form>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
      </section>
    </main>
  );
}
