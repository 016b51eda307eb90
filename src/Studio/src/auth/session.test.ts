import { deriveChallenge } from './pkce';
import { Session } from './session';

interface Call { url: string; form: Record<string, string> }

/** A stand-in for the authorization server: records form posts, answers with fixed tokens. */
function server(answer: (call: Call) => Response = () => tokenResponse('access-1', 'refresh-1')) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    const call = { url, form: Object.fromEntries(new URLSearchParams(String(init?.body ?? ''))) };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function tokenResponse(access: string, refresh: string, expiresIn = 3600) {
  return new Response(JSON.stringify({ access_token: access, refresh_token: refresh, expires_in: expiresIn }), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

describe('Session', () => {
  const origin = 'http://localhost:5080';

  it('Signing in sends the browser to authorize with a challenge of the stored verifier, and the callback exchanges the code', async () => {
    const { calls, fetchImpl } = server();
    const visited: string[] = [];
    const session = new Session(origin, sessionStorage, url => visited.push(url), fetchImpl);
    await session.signIn('/studio/flows/42');

    const authorize = new URL(visited[0]);
    const pending = JSON.parse(sessionStorage.getItem('oneinbox.studio.pending-sign-in')!);
    expect(authorize.searchParams.get('code_challenge')).toBe(await deriveChallenge(pending.verifier));

    const returnTo = await session.completeSignIn(`?code=abc&state=${authorize.searchParams.get('state')}`);
    expect(returnTo).toBe('/studio/flows/42');
    expect(calls[0]).toEqual({
      url: '/connect/token',
      form: { grant_type: 'authorization_code', code: 'abc', redirect_uri: `${origin}/studio/callback`, client_id: 'oneinbox-studio', code_verifier: pending.verifier },
    });
    expect(await session.accessToken()).toBe('access-1');
    expect(session.isSignedIn).toBe(true);
    expect(sessionStorage.getItem('oneinbox.studio.pending-sign-in')).toBeNull();
  });

  it('A callback whose state does not match is refused without asking for tokens', async () => {
    const { calls, fetchImpl } = server();
    const session = new Session(origin, sessionStorage, () => undefined, fetchImpl);
    await session.signIn();
    await expect(session.completeSignIn('?code=abc&state=forged')).rejects.toThrow(/did not match/);
    expect(calls).toHaveLength(0);
    expect(session.isSignedIn).toBe(false);
  });

  it('Tokens survive a reload of the tab through session storage', async () => {
    const { fetchImpl } = server();
    const first = new Session(origin, sessionStorage, () => undefined, fetchImpl);
    await first.signIn();
    const state = JSON.parse(sessionStorage.getItem('oneinbox.studio.pending-sign-in')!).state;
    await first.completeSignIn(`?code=c&state=${state}`);
    const reloaded = new Session(origin, sessionStorage, () => undefined, fetchImpl);
    expect(await reloaded.accessToken()).toBe('access-1');
    first.clear();
  });

  it('An access token about to expire is refreshed before use', async () => {
    let now = 1_000_000;
    let issued = 0;
    const { calls, fetchImpl } = server(() => tokenResponse(`access-${++issued}`, `refresh-${issued}`, 120));
    const session = new Session(origin, sessionStorage, () => undefined, fetchImpl, () => now);
    await session.signIn();
    const state = JSON.parse(sessionStorage.getItem('oneinbox.studio.pending-sign-in')!).state;
    await session.completeSignIn(`?code=c&state=${state}`);
    now += 61_000;
    expect(await session.accessToken()).toBe('access-2');
    expect(calls[1].form).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'oneinbox-studio' });
    session.clear();
  });

  it('Switching workspace refreshes with the workspace id', async () => {
    const { calls, fetchImpl } = server();
    const session = new Session(origin, sessionStorage, () => undefined, fetchImpl);
    await session.signIn();
    const state = JSON.parse(sessionStorage.getItem('oneinbox.studio.pending-sign-in')!).state;
    await session.completeSignIn(`?code=c&state=${state}`);
    await session.switchWorkspace('ws-2');
    expect(calls[1].form).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'oneinbox-studio', workspace_id: 'ws-2' });
    session.clear();
  });

  it('Signing out revokes the refresh token, forgets the tokens and ends the server session', async () => {
    const { calls, fetchImpl } = server(call => (call.url === '/connect/revoke' ? new Response(null, { status: 200 }) : tokenResponse('a', 'r')));
    const visited: string[] = [];
    const session = new Session(origin, sessionStorage, url => visited.push(url), fetchImpl);
    await session.signIn();
    const state = JSON.parse(sessionStorage.getItem('oneinbox.studio.pending-sign-in')!).state;
    await session.completeSignIn(`?code=c&state=${state}`);
    await session.signOut();
    expect(calls[1]).toEqual({ url: '/connect/revoke', form: { token: 'r', client_id: 'oneinbox-studio' } });
    expect(session.isSignedIn).toBe(false);
    expect(sessionStorage.getItem('oneinbox.studio.tokens')).toBeNull();
    expect(visited.at(-1)).toBe('/connect/endsession');
  });
});
