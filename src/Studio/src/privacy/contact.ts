import type { ConsentRecord, Contact, LegalHold, PrivacyRequest } from '../api/types';

/** One line a data protection officer reads first: what the business may do with this person's data right now. */
export interface Standing {
  label: string;
  state: 'yes' | 'no' | 'held' | 'open' | 'none';
  why: string;
}

/** The consents of each purpose, latest first: the current one and what came before. */
export function consentsByPurpose(history: ConsentRecord[]): Map<string, ConsentRecord[]> {
  const byPurpose = new Map<string, ConsentRecord[]>();
  for (const record of [...history].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))) {
    byPurpose.set(record.purpose, [...(byPurpose.get(record.purpose) ?? []), record]);
  }
  return byPurpose;
}

function day(at: string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Marketing, automation and erasure as the server decides them: marketing needs a granted marketing consent (an
 * objection or a "stop" withdraws it), automation stops while processing is restricted or the person is blocked,
 * and erasure is refused while a legal hold covers the person or the whole workspace.
 */
export function standing(contact: Contact, history: ConsentRecord[], holds: LegalHold[], requests: PrivacyRequest[]): Standing[] {
  const marketing = consentsByPurpose(history).get('marketing')?.[0];
  const hold = holds.find(h => h.active);
  const open = requests.filter(r => r.status === 'received' || r.status === 'inProgress');
  return [
    {
      label: 'Marketing messages',
      state: contact.marketingConsent ? 'yes' : 'no',
      why: marketing
        ? `${marketing.granted ? 'granted' : 'withdrawn'} on ${day(marketing.recordedAt)} by ${marketing.source} (${marketing.legalBasis})`
        : 'never granted',
    },
    {
      label: 'Automated replies and decisions',
      state: contact.processingRestricted || contact.blocked ? 'no' : 'yes',
      why: contact.processingRestricted ? 'processing is restricted: flows stop and people take over'
        : contact.blocked ? 'the contact is blocked' : 'flows may answer',
    },
    {
      label: 'Erasure',
      state: hold ? 'held' : 'yes',
      why: hold ? `legal hold${hold.contactId ? '' : ' on the whole workspace'}: ${hold.reason}` : 'can be carried out',
    },
    {
      label: 'Open requests',
      state: open.length > 0 ? 'open' : 'none',
      why: open.length === 0 ? 'none'
        : open.map(r => `${r.type}${r.overdue ? ' (overdue)' : ''} due ${day(r.dueAt)}`).join(', '),
    },
  ];
}
