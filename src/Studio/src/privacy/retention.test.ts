import { describe, expect, it } from 'vitest';
import { describePurge, retentionProblems, toBody, toForm, type RetentionSettings } from './retention';

const defaults: RetentionSettings = {
  messageDays: 365, keepMessagesReason: null, journalDays: 365, exportDays: 7, processedPayloadDays: 7, auditDays: 730, updatedAt: null, lastPurge: null,
};

describe('retention form', () => {
  it('round-trips the settings and sends null days with the reason for "until deleted"', () => {
    expect(toBody(toForm(defaults))).toEqual({ messageDays: 365, keepMessagesReason: null, journalDays: 365, exportDays: 7, processedPayloadDays: 7, auditDays: 730 });
    const kept = toForm({ ...defaults, messageDays: null, keepMessagesReason: 'Warranty contracts' });
    expect(kept.keepUntilDeleted).toBe(true);
    expect(toBody(kept)).toMatchObject({ messageDays: null, keepMessagesReason: 'Warranty contracts' });
  });

  it('refuses what the server would: days out of range, exports over 30 days, "until deleted" without a reason', () => {
    expect(retentionProblems(toForm(defaults))).toEqual({});
    expect(retentionProblems({ ...toForm(defaults), messageDays: '0', exportDays: '31', auditDays: '2.5' }))
      .toEqual({ messageDays: 'A whole number of days from 1 to 3650.', exportDays: 'A whole number of days from 1 to 30.', auditDays: 'A whole number of days from 1 to 3650.' });
    expect(retentionProblems({ ...toForm(defaults), keepUntilDeleted: true, messageDays: 'x', keepMessagesReason: ' ' }))
      .toEqual({ keepMessagesReason: 'Say why messages are kept until deleted; the record of processing shows it.' });
  });

  it('describes a purge, and a held workspace', () => {
    expect(describePurge({ messages: 3, files: 1, journalEntries: 2, processedPayloads: 0, auditEvents: 4, held: false, elapsedMs: 12.4 }))
      .toBe('Deleted 3 messages, 1 files, 2 journal entries, 0 processed payloads and 4 audit events in 12 ms.');
    expect(describePurge({ messages: 0, files: 0, journalEntries: 0, processedPayloads: 0, auditEvents: 0, held: true, elapsedMs: 1 })).toContain('legal hold');
  });
});
