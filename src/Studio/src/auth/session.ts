import { parseProblem } from '../api/problem';
import { authorizeUrl, clientId, deriveChallenge, randomString, redirectUri } from './pkce';

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

// Essential storage only: the tokens survive a reload of this tab and die with it.
const tokenKey = 'oneinbox.studio.tokens';
const pendingKey = 'oneinbox.studio.pending-sign-in';
const refreshMarginMs = 60_000;

interface PendingSignIn { verifier: string; state: string; returnTo: string }

type Listener = (tokens: Tokens | null) => void;

/** Holds the tokens in memory (mirrored to sessionStorage) and keeps them fresh. */
export class Session {
  private tokens: Tokens | null = null;
  private refreshing: Promise<Tokens | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly origin: string,
    private readonly storage: Storage,
    private readonly navigate: (url: string) => void,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly now: () => number = () => Date.now(),
  ) {
    const stored = storage.getItem(tokenKey);
    if (stored) {
      try {
        this.tokens = JSON.parse(stored) as Tokens;
        this.schedule();
      } catch {
        storage.removeItem(tokenKey);
      }
    }
  }

  get isSignedIn(): boolean {
    return this.tokens !== null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(returnTo = '/studio/'): Promise<void> {
    const verifier = randomString(64);
    const state = randomString(32);
    const pending: PendingSignIn = { verifier, state, returnTo };
    this.storage.setItem(pendingKey, JSON.stringify(pending));
    this.navigate(authorizeUrl(this.origin, await deriveChallenge(verifier), state));
  }

  /** Finishes the redirect back to /studio/callback; returns where the user was going. */
  async completeSignIn(search: string): Promise<string> {
    const params = new URLSearchParams(search);
    const error = params.get('error');
    if (error) throw new Error(params.get('error_description') ?? error);
    const raw = this.storage.getItem(pendingKey);
    this.storage.removeItem(pendingKey);
    if (!raw) throw new Error('No sign-in was started in this tab. Please sign in again.');
    const pending = JSON.parse(raw) as PendingSignIn;
    const code = params.get('code');
    if (!code || params.get('state') !== pending.state) throw new Error('The sign-in answer did not match the request. Please sign in again.');
    await this.requestTokens({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(this.origin),
      client_id: clientId,
      code_verifier: pending.verifier,
    });
    return pending.returnTo.startsWith('/studio') ? pending.returnTo : '/studio/';
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    if (!this.tokens) return null;
    if (this.tokens.expiresAt - refreshMarginMs <= this.now() && this.tokens.refreshToken) {
      const fresh = await this.refresh();
      return fresh?.accessToken ?? null;
    }
    return this.tokens.accessToken;
  }

  /** Refreshes once, whoever asks at the same time; a workspace id switches the token's workspace. */
  refresh(workspaceId?: string): Promise<Tokens | null> {
    if (this.refreshing && !workspaceId) return this.refreshing;
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) {
      this.clear();
      return Promise.resolve(null);
    }
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
    if (workspaceId) form.workspace_id = workspaceId;
    const attempt = this.requestTokens(form)
      .catch(error => {
        // A rejected refresh token means the session is over; a workspace switch failure is not.
        if (!workspaceId) this.clear();
        throw error;
      })
      .finally(() => {
        if (this.refreshing === attempt) this.refreshing = null;
      });
    this.refreshing = attempt;
    return attempt;
  }

  switchWorkspace(workspaceId: string): Promise<Tokens | null> {
    return this.refresh(workspaceId);
  }

  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    if (refreshToken) {
      try {
        await this.fetchImpl('/connect/revoke', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: refreshToken, client_id: clientId }),
        });
      } catch {
        // Signing out locally must not depend on the server answering.
      }
    }
    this.clear();
    this.navigate('/connect/endsession');
  }

  clear(): void {
    this.tokens = null;
    this.storage.removeItem(tokenKey);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.forEach(l => l(null));
  }

  private async requestTokens(form: Record<string, string>): Promise<Tokens> {
    const response = await this.fetchImpl('/connect/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    if (!response.ok) throw await parseProblem(response);
    const body = (await response.json()) as { access_token: string; refresh_token?: string; expires_in?: number };
    const tokens: Tokens = {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? this.tokens?.refreshToken ?? null,
      expiresAt: this.now() + (body.expires_in ?? 3600) * 1000,
    };
    this.tokens = tokens;
    this.storage.setItem(tokenKey, JSON.stringify(tokens));
    this.schedule();
    this.listeners.forEach(l => l(tokens));
    return tokens;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.tokens?.refreshToken) return;
    const delay = Math.max(0, this.tokens.expiresAt - refreshMarginMs - this.now());
    this.timer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, delay);
  }
}
