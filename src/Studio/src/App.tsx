import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from './api/client';
import { toApiError, type ApiError } from './api/problem';
import type { ActivityDescriptor, Me, Member, Team } from './api/types';
import type { Session } from './auth/session';
import { ErrorBanner } from './components/ErrorBanner';
import { Footer } from './components/Footer';
import { isReadOnlyRole, StudioContext, type StudioContextValue } from './context';
import { indexDescriptors } from './graph/mapping';
import { Designer } from './pages/Designer';
import { FlowsList } from './pages/FlowsList';
import { InstanceView } from './pages/InstanceView';
import { InstancesList } from './pages/InstancesList';
import { linkClick, navigate, useRoute } from './router';

interface Loaded { me: Me; descriptors: ActivityDescriptor[]; teams: Team[]; members: Member[] }

export function App({ session, api }: { session: Session; api: ApiClient }) {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(session.isSignedIn);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => session.subscribe(tokens => setSignedIn(tokens !== null)), [session]);

  // The authorization code is single-use: exchange it once even when effects run twice (StrictMode in development).
  const exchanged = useRef(false);
  useEffect(() => {
    if (route.name !== 'callback' || exchanged.current) return;
    exchanged.current = true;
    session.completeSignIn(window.location.search)
      .then(returnTo => navigate(returnTo, true))
      .catch(e => setError(toApiError(e)));
  }, [route.name, session]);

  // Loaded once per sign-in and workspace, not per page: reloading on navigation replaced the descriptor
  // index under an open designer, which then reloaded the flow and dropped edits made meanwhile.
  const onCallback = route.name === 'callback';
  useEffect(() => {
    if (!signedIn || onCallback) return;
    let cancelled = false;
    (async () => {
      try {
        const me = await api.me();
        const readOnly = isReadOnlyRole(me.activeWorkspace.role);
        // Pickers are a convenience: a workspace without teams or a member list still designs flows.
        const [descriptors, teams, members] = await Promise.all([
          api.descriptors(),
          api.teams().catch(() => [] as Team[]),
          readOnly ? Promise.resolve([] as Member[]) : api.members().then(r => r.items).catch(() => [] as Member[]),
        ]);
        if (!cancelled) setLoaded({ me, descriptors, teams, members });
      } catch (e) {
        if (!cancelled) setError(toApiError(e));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, signedIn, generation, onCallback]);

  const switchWorkspace = useCallback(async (workspaceId: string) => {
    try {
      await session.switchWorkspace(workspaceId);
      setLoaded(null);
      navigate('/studio/');
      setGeneration(g => g + 1);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [session]);

  const context = useMemo<StudioContextValue | null>(() => loaded && {
    api,
    me: loaded.me,
    readOnly: isReadOnlyRole(loaded.me.activeWorkspace.role),
    descriptors: loaded.descriptors,
    descriptorIndex: indexDescriptors(loaded.descriptors),
    teams: loaded.teams,
    members: loaded.members,
  }, [api, loaded]);

  if (route.name === 'callback') {
    return (
      <main className="centered">
        {error ? <><ErrorBanner error={error} /><button type="button" onClick={() => session.signIn()}>Sign in again</button></> : <p>Signing in…</p>}
      </main>
    );
  }

  if (!signedIn) {
    return (
      <div className="app">
        <main className="centered sign-in">
          <h1>OneInbox Studio</h1>
          <p>Design, test and publish your automation flows.</p>
          <button type="button" className="primary" data-testid="sign-in" onClick={() => session.signIn(window.location.pathname)}>Sign in</button>
        </main>
        <Footer />
      </div>
    );
  }

  return (
    <div className="app">
      <header className="topbar">
        <a href="/studio/" className="brand" onClick={linkClick('/studio/')}>OneInbox Studio</a>
        <nav aria-label="Main">
          <a href="/studio/" onClick={linkClick('/studio/')}>Flows</a>
          <a href="/studio/instances" onClick={linkClick('/studio/instances')}>Instances</a>
        </nav>
        {loaded && (
          <div className="account">
            {loaded.me.workspaces.length > 1 ? (
              <label>
                Workspace{' '}
                <select data-testid="workspace-switcher" value={loaded.me.activeWorkspace.id} onChange={e => switchWorkspace(e.target.value)}>
                  {loaded.me.workspaces.map(w => <option key={w.id} value={w.id}>{w.name} ({w.role})</option>)}
                </select>
              </label>
            ) : <span>{loaded.me.activeWorkspace.name}</span>}
            <span className="muted" title={loaded.me.email}>{loaded.me.displayName} · {loaded.me.activeWorkspace.role}</span>
            <button type="button" data-testid="sign-out" onClick={() => session.signOut()}>Sign out</button>
          </div>
        )}
      </header>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {context ? (
        <StudioContext.Provider value={context}>
          {route.name === 'flows' && <FlowsList />}
          {route.name === 'designer' && <Designer key={route.flowId} flowId={route.flowId} />}
          {route.name === 'instances' && <InstancesList flowId={route.flowId} />}
          {route.name === 'instance' && <InstanceView key={route.instanceId} instanceId={route.instanceId} />}
          {route.name === 'notFound' && <main className="centered"><h1>Not found</h1><a href="/studio/" onClick={linkClick('/studio/')}>Back to flows</a></main>}
        </StudioContext.Provider>
      ) : !error && <main className="centered"><p>Loading…</p></main>}
      <Footer />
    </div>
  );
}
