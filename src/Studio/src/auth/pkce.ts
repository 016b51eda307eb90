// PKCE (RFC 7636) and the authorization request of the public client `oneinbox-studio`.

export const clientId = 'oneinbox-studio';
export const scope = 'openid offline_access api';

const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A random string of unreserved characters; the verifier must be 43 to 128 of them. */
export function randomString(length = 64): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  // Bytes past the largest multiple of the alphabet size are skipped so every character is equally likely.
  const limit = 256 - (256 % unreserved.length);
  let result = '';
  while (result.length < length) {
    for (const b of bytes) {
      if (b < limit && result.length < length) result += unreserved[b % unreserved.length];
    }
    crypto.getRandomValues(bytes);
  }
  return result;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), the S256 method. */
export async function deriveChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

export function redirectUri(origin: string): string {
  return `${origin}/studio/callback`;
}

export function authorizeUrl(origin: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri(origin),
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  // URLSearchParams writes spaces as '+'; the server accepts both, the contract shows %20.
  return `${origin}/connect/authorize?${query.toString().replace(/\+/g, '%20')}`;
}
