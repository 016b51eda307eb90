import type { ApiError } from '../api/problem';
import type { PolicyStatus } from '../api/types';

/** A day as people read it ("4 March 2027"), in UTC so that the day the server named is the day shown. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** What the account page says of the privacy policy the person accepted. */
export function policyLine(policy: PolicyStatus | undefined): string {
  if (!policy) return '';
  if (!policy.acceptedVersion) return `You have not accepted the privacy policy yet (version ${policy.currentVersion} is in force).`;
  const when = formatDay(policy.acceptedAt);
  return policy.mustAccept
    ? `You accepted version ${policy.acceptedVersion} on ${when}; version ${policy.currentVersion} is in force and you will be asked at your next sign-in.`
    : `You accepted version ${policy.acceptedVersion}, the one in force, on ${when}.`;
}

/**
 * The server's warning before an account deletion that would close workspaces (409): its text names them. Null for
 * any other failure, which is shown as an error.
 */
export function soleOwnerWarning(error: ApiError): string | null {
  return error.status === 409 && error.detail ? error.detail : null;
}
