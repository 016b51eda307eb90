import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from './api/client';
import { toApiError, type ApiError } from './api/problem';
import type { ActivityDescriptor, Me, Member, Team } from './api/types';
import type { Session } from './auth/session';
import { ErrorBanner } from './components/ErrorBanner';
import { Footer } from './components/Footer';
import { isAgentRole, isReadOnlyRole, StudioContext, type StudioContextValue } from './context';
import { indexDescriptors } from './graph/mapping';
import { AcceptInvitation } from './pages/AcceptInvitation';
import { Channels } from './pages/Channels';
import { ContactView, Contacts } from './pages/Contacts';
import { Designer } from './pages/Designer';
import { FirstRun } from './pages/FirstRun';
import { People } from './pages/People';
import { PrivacyCentre } from './pages/PrivacyCentre';
import { ReviewsList } from './pages/ReviewsList';
import { ReviewView } from './pages/ReviewView';
import { FlowsList } from './pages/FlowsList';
import { InstanceView } from './pages/InstanceView';
import { InstancesList } from './pages/InstancesList';
import { linkClick, navigate, useRoute, type Route } from './router';
import { Account } from './pages/Account';
import { Reports } from './pages/Reports';

interface NavEntry { path: string; label: string; route: Route['name'][]; adminPage: boolean }

/** The main menu; a new page adds one entry here and one route in router.ts. Admin pages are hidden from agents. */
const navigation: NavEntry[] = [
  { path: '/studio/start', label: 'Get started', route: ['start'], adminPage: true },
  { path: '/studio/', label: 'Flows', route: ['flows', 'designer'], adminPage: false },
  { path: '/studio/instances', label: 'Instances', route: ['instances', 'instance'], adminPage: false },
  { path: '/studio/channels', label: 'Channels', route: ['channels'], adminPage: true },
  { path: '/studio/people', label: 'People', route: ['people'], adminPage: true },
  { path: '/studio/reviews', label: 'Reviews', route: ['reviews', 'review'], adminPage: true },
  { path: '/studio/contacts', label: 'Contacts', route: ['contacts', 'contact'], adminPage: true },
  { path: '/studio/privacy', label: 'Privacy', route: ['privacy'], adminPage: true },
  { path: '/studio/reports', label: 'Reports', route: ['reports'], adminPage: true },
];

const adminRoutes = new Set(navigation.filter(n => n.adminPage).flatMap(n => n.route));

interface Loaded { me: Me; descriptors: ActivityDescriptor[]; teams: Team[]; members: Member[]; timeZone: string }

export function App({ session, api }: { session: Session; api: ApiClient }) {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(session.isSignedIn);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [sentAway, setSentAway] = useState<string | null>(null);

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
        const [descriptors, teams, members, workspace] = await Promise.all([
          api.descriptors(),
          api.teams().catch(() => [] as Team[]),
          readOnly ? Promise.resolve([] as Member[]) : api.members().then(r => r.items).catch(() => [] as Member[]),
          api.workspace().catch(() => null),
        ]);
        if (!cancelled) setLoaded({ me, descriptors, teams, members, timeZone: workspace?.timeZone ?? 'UTC' });
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

  const refresh = useCallback(() => {
    Promise.all([api.teams().catch(() => null), api.members().then(r => r.items).catch(() => null), api.workspace().catch(() => null)])
      .then(([teams, members, workspace]) =>
        setLoaded(l => l && { ...l, teams: teams ?? l.teams, members: members ?? l.members, timeZone: workspace?.timeZone ?? l.timeZone }));
  }, [api]);

  // Agents see no admin page: the Studio sends them to the flows, saying why.
  const role = loaded?.me.activeWorkspace.role;
  useEffect(() => {
    if (isAgentRole(role) && adminRoutes.has(route.name)) {
      setSentAway('That page is for admins; agents work in the inbox.');
      navigate('/studio/', true);
    }
  }, [role, route.name]);

  const context = useMemo<StudioContextValue | null>(() => loaded && {
    api,
    me: loaded.me,
    readOnly: isReadOnlyRole(loaded.me.activeWorkspace.role),
    descriptors: loaded.descriptors,
    descriptorIndex: indexDescriptors(loaded.descriptors),
    teams: loaded.teams,
    members: loaded.members,
    timeZone: loaded.timeZone,
    refresh,
    signOut: () => void session.signOut(),
  }, [api, loaded, refresh, session]);

  if (route.name === 'callback') {
    return (
      <main className="centered">
        {error ? <><ErrorBanner error={error} /><button type="button" onClick={() => session.signIn()}>Sign in again</button></> : <p>Signing in…</p>}
      </main>
    );
  }

  if (route.name === 'invitation') {
    return (
      <div className="app">
        <AcceptInvitation api={api} onAccepted={() => session.signIn('/studio/')} />
        <Footer />
      </div>
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
          {navigation.filter(n => !(n.adminPage && (!loaded || isAgentRole(role)))).map(n => (
            <a key={n.path} href={n.path} onClick={linkClick(n.path)} aria-current={n.route.includes(route.name) ? 'page' : undefined}
              data-testid={`nav-${n.route[0]}`}>{n.label}</a>
          ))}
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
            <a href="/studio/account" onClick={linkClick('/studio/account')} className="muted" title={loaded.me.email} data-testid="nav-account"
              aria-current={route.name === 'account' ? 'page' : undefined}>{loaded.me.displayName} · {loaded.me.activeWorkspace.role}</a>
            <button type="button" data-testid="sign-out" onClick={() => session.signOut()}>Sign out</button>
          </div>
        )}
      </header>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {sentAway && <div className="notice" role="status" data-testid="sent-away">{sentAway} <button type="button" onClick={() => setSentAway(null)} aria-label="Dismiss message">×</button></div>}
      {context ? (
        <StudioContext.Provider value={context}>
          {route.name === 'flows' && <FlowsList />}
          {route.name === 'designer' && <Designer key={route.flowId} flowId={route.flowId} />}
          {route.name === 'instances' && <InstancesList flowId={route.flowId} />}
          {route.name === 'instance' && <InstanceView key={route.instanceId} instanceId={route.instanceId} />}
          {route.name === 'channels' && !isAgentRole(role) && <Channels />}
          {route.name === 'people' && !isAgentRole(role) && <People />}
          {route.name === 'account' && <Account />}
          {route.name === 'reports' && !isAgentRole(role) && <Reports />}
          {route.name === 'start' && !isAgentRole(role) && <FirstRun />}
          {route.name === 'reviews' && !isAgentRole(role) && <ReviewsList />}
          {route.name === 'privacy' && !isAgentRole(role) && <PrivacyCentre />}
          {route.name === 'contacts' && !isAgentRole(role) && <Contacts />}
          {route.name === 'contact' && !isAgentRole(role) && <ContactView key={route.contactId} contactId={route.contactId} />}
          {route.name === 'review' && !isAgentRole(role) && <ReviewView key={route.caseId} caseId={route.caseId} />}
          {route.name === 'notFound' && <main className="centered"><h1>Not found</h1><a href="/studio/" onClick={linkClick('/studio/')}>Back to flows</a></main>}
        </StudioContext.Provider>
      ) : !error && <main className="centered"><p>Loading…</p></main>}
      <Footer />
    </div>
  );
}
