import type { ConsentRecord, Contact, LegalHold, PrivacyRequest } from '../api/types';
import { consentsByPurpose, standing } from './contact';

const contact: Contact = {
  id: 'k1', displayName: 'Ada', phoneNumbers: [], emails: [], company: null, locale: null, tags: [], attributes: {},
  marketingConsent: false, processingRestricted: false, blocked: false, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const granted: ConsentRecord = { granted: true, purpose: 'marketing', legalBasis: 'consent', source: 'web form', recordedBy: null, recordedAt: '2026-02-01T10:00:00Z' };
const withdrawn: ConsentRecord = { granted: false, purpose: 'marketing', legalBasis: 'consent', source: 'chat: stop', recordedBy: null, recordedAt: '2026-03-05T10:00:00Z' };

describe('a contact\'s privacy standing', () => {
  it('lists each purpose latest first, whatever order the history came in', () => {
    const byPurpose = consentsByPurpose([granted, withdrawn, { ...granted, purpose: 'analytics' }]);

    expect(byPurpose.get('marketing')).toEqual([withdrawn, granted]);
    expect(byPurpose.get('analytics')).toHaveLength(1);
  });

  it('says marketing is off and why when the latest consent was withdrawn', () => {
    const [marketing] = standing(contact, [granted, withdrawn], [], []);

    expect(marketing.state).toBe('no');
    expect(marketing.why).toBe('withdrawn on 2026-03-05 by chat: stop (consent)');
  });

  it('stops automation while processing is restricted and holds erasure under a legal hold', () => {
    const hold: LegalHold = { id: 'h1', contactId: null, reason: 'tax audit 2026', placedAt: '2026-01-01T00:00:00Z', releasedAt: null, active: true };

    const [, automation, erasure] = standing({ ...contact, processingRestricted: true }, [], [hold], []);

    expect(automation.state).toBe('no');
    expect(erasure).toEqual({ label: 'Erasure', state: 'held', why: 'legal hold on the whole workspace: tax audit 2026' });
  });

  it('names the open requests and which of them are overdue', () => {
    const request = { type: 'erasure', status: 'received', dueAt: '2026-04-01T00:00:00Z', overdue: true } as PrivacyRequest;
    const closed = { ...request, status: 'completed' } as PrivacyRequest;

    const open = standing(contact, [], [], [request, closed])[3];

    expect(open).toEqual({ label: 'Open requests', state: 'open', why: 'erasure (overdue) due 2026-04-01' });
  });
});
