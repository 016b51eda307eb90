import { authorizeUrl, base64UrlEncode, deriveChallenge, randomString, redirectUri } from './pkce';

describe('PKCE', () => {
  it('Derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await deriveChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('Verifiers are long enough, unreserved, and never repeat', () => {
    const a = randomString(64);
    const b = randomString(64);
    expect(a).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(a).not.toBe(b);
  });

  it('Base64url has no padding nor + and /', () => {
    expect(base64UrlEncode(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64UrlEncode(new Uint8Array([1]))).toBe('AQ');
  });

  it('The authorization request names the public client, the callback, the scopes and the challenge', () => {
    const url = new URL(authorizeUrl('https://inbox.example', 'CHALLENGE', 'STATE'));
    expect(url.origin + url.pathname).toBe('https://inbox.example/connect/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'oneinbox-studio',
      redirect_uri: 'https://inbox.example/studio/callback',
      scope: 'openid offline_access api',
      code_challenge: 'CHALLENGE',
      code_challenge_method: 'S256',
      state: 'STATE',
    });
    expect(url.search).toContain('scope=openid%20offline_access%20api');
    expect(redirectUri('http://localhost:5080')).toBe('http://localhost:5080/studio/callback');
  });
});
