import { useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { WorkspaceClosure } from '../../api/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';
import { formatDay } from '../../account/account';

/**
 * Owners only: close the workspace. Typing its name confirms; the answer says until when the data is kept (a platform
 * administrator can reopen it until then) and the session ends, since nobody may act in a closed workspace.
 */
export function CloseWorkspace() {
  const { api, me, signOut } = useStudio();
  const [confirmName, setConfirmName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [closed, setClosed] = useState<WorkspaceClosure | null>(null);
  if (me.activeWorkspace.role.toLowerCase() !== 'owner') return null;
  const name = me.activeWorkspace.name;
  const matches = confirmName.trim().toLowerCase() === name.toLowerCase();

  if (closed) {
    return (
      <section className="danger-zone" aria-label="Workspace closed" data-testid="workspace-closed">
        <h2>{closed.name} is closed</h2>
        <p>Its channels were disconnected and nobody can sign in to it. Its data is kept until {formatDay(closed.purgeAt)}; until then the
          platform administrator can reopen it. A confirmation was sent to the workspace's owners.</p>
        {closed.channelsLeftConnected.length > 0 && (
          <p>The provider did not confirm the removal of these channels' webhooks (they are silent anyway): {closed.channelsLeftConnected.join(', ')}.</p>
        )}
        <button type="button" className="primary" data-testid="leave-closed" onClick={signOut}>Sign out</button>
      </section>
    );
  }
  return (
    <section className="danger-zone" aria-labelledby="close-heading">
      <h2 id="close-heading">Close this workspace</h2>
      <p>Closing disconnects every channel, stops the bots and ends every member's and integration's access at once. The data is kept
        90 days, during which the platform administrator can reopen the workspace; after that everything of it is deleted for good.</p>
      <label htmlFor="close-confirm">Type <strong>{name}</strong> to confirm</label>
      <input id="close-confirm" data-testid="close-confirm" value={confirmName} onChange={e => setConfirmName(e.target.value)} autoComplete="off" />
      <button type="button" className="danger" data-testid="close-workspace" disabled={!matches} onClick={async () => {
        try {
          setClosed(await api.request<WorkspaceClosure>('POST', '/api/v1/workspace/close', { confirmName }));
        } catch (e) {
          setError(toApiError(e));
        }
      }}>Close {name}</button>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
