import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowVersion } from '../api/types';
import { useStudio } from '../context';
import { ErrorBanner } from './ErrorBanner';

export function VersionHistory({ flowId, publishedVersion, onRolledBack }: { flowId: string; publishedVersion: number | null; onRolledBack: () => void }) {
  const { api, readOnly, members, me } = useStudio();
  // The server names the publisher by user id; members (and oneself) are shown by name.
  const nameOf = (userId: string | null) =>
    !userId ? 'someone' : userId === me.userId ? me.displayName : members.find(m => m.userId === userId)?.displayName ?? 'a former member';
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    api.versions(flowId).then(setVersions).catch(e => setError(toApiError(e)));
  }, [api, flowId, publishedVersion]);

  return (
    <section aria-label="Version history">
      <h2>Versions</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {versions?.length === 0 && <p className="muted">Not published yet.</p>}
      <ol className="versions" reversed>
        {[...(versions ?? [])].sort((a, b) => b.version - a.version).map(v => (
          <li key={v.version}>
            <strong>v{v.version}</strong>{v.version === publishedVersion && <span className="badge published">live</span>}
            <div className="muted">{new Date(v.publishedAt).toLocaleString()} by {nameOf(v.publishedBy)}</div>
            {!readOnly && v.version !== publishedVersion && (
              <button type="button" aria-label={`Roll back to version ${v.version}`} onClick={async () => {
                try {
                  await api.rollback(flowId, v.version);
                  onRolledBack();
                } catch (e) {
                  setError(toApiError(e));
                }
              }}>Roll back to this</button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
