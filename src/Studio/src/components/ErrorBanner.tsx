import type { ApiError } from '../api/problem';

/** A Problem Details response as a person reads it: what failed, why, and which fields. */
export function ErrorBanner({ error, onDismiss }: { error: ApiError | null; onDismiss?: () => void }) {
  if (!error) return null;
  const fields = Object.entries(error.fieldErrors);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <strong>{error.title}</strong>
      {error.detail && <p>{error.detail}</p>}
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, messages]) => <li key={field}><code>{field}</code>: {messages.join(' ')}</li>)}
        </ul>
      )}
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((p, i) => <li key={i}>{p.nodeId && <code>{p.nodeId}</code>} {p.message}</li>)}
        </ul>
      )}
      {onDismiss && <button type="button" onClick={onDismiss} aria-label="Dismiss error">Dismiss</button>}
    </div>
  );
}
