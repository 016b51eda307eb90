import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { formatDay, policyLine, soleOwnerWarning } from './account';

const policy = { currentVersion: '2026-02-12', currentDate: '2026-02-12', acceptedVersion: '2026-02-12', acceptedAt: '2026-12-04T07:00:00Z', mustAccept: false, changes: [] };

describe('account', () => {
  it('names days in UTC the way people read them', () => {
    expect(formatDay('2027-03-04T23:30:00Z')).toBe('4 March 2027');
    expect(formatDay(null)).toBe('—');
  });

  it('says which policy version was accepted and whether a newer one waits', () => {
    expect(policyLine(policy)).toBe('You accepted version 2026-02-12, the one in force, on 4 December 2026.');
    expect(policyLine({ ...policy, acceptedVersion: '2025-06-01', mustAccept: true }))
      .toBe('You accepted version 2025-06-01 on 4 December 2026; version 2026-02-12 is in force and you will be asked at your next sign-in.');
    expect(policyLine({ ...policy, acceptedVersion: null, acceptedAt: null, mustAccept: true }))
      .toBe('You have not accepted the privacy policy yet (version 2026-02-12 is in force).');
  });

  it('turns only the sole-owner conflict into a warning to confirm', () => {
    expect(soleOwnerWarning(new ApiError(409, 'Conflict', 'You are the only Owner of Acme'))).toBe('You are the only Owner of Acme');
    expect(soleOwnerWarning(new ApiError(403, 'Forbidden', 'That is not your password.'))).toBeNull();
  });
});
