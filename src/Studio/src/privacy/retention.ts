/** The workspace's retention settings as the API gives them (GET /api/v1/workspace/retention). */
export interface RetentionSettings {
  messageDays: number | null;
  keepMessagesReason: string | null;
  journalDays: number;
  exportDays: number;
  processedPayloadDays: number;
  auditDays: number;
  updatedAt: string | null;
  lastPurge: { at: string; details: string } | null;
}

export interface PurgeReport { messages: number; files: number; journalEntries: number; processedPayloads: number; auditEvents: number; held: boolean; elapsedMs: number }

/** What the form edits: days as typed, and "until deleted" for messages, which needs a written reason. */
export interface RetentionForm {
  messageDays: string;
  keepUntilDeleted: boolean;
  keepMessagesReason: string;
  journalDays: string;
  exportDays: string;
  processedPayloadDays: string;
  auditDays: string;
}

export function toForm(s: RetentionSettings): RetentionForm {
  return {
    messageDays: s.messageDays === null ? '365' : String(s.messageDays),
    keepUntilDeleted: s.messageDays === null,
    keepMessagesReason: s.keepMessagesReason ?? '',
    journalDays: String(s.journalDays),
    exportDays: String(s.exportDays),
    processedPayloadDays: String(s.processedPayloadDays),
    auditDays: String(s.auditDays),
  };
}

const limits: Record<'messageDays' | 'journalDays' | 'exportDays' | 'processedPayloadDays' | 'auditDays', number> = {
  messageDays: 3650, journalDays: 3650, exportDays: 30, processedPayloadDays: 30, auditDays: 3650,
};

/** Field name → message for what the server would refuse, so the form says it before saving. */
export function retentionProblems(f: RetentionForm): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [field, max] of Object.entries(limits)) {
    if (field === 'messageDays' && f.keepUntilDeleted) continue;
    const value = Number(f[field as keyof typeof limits]);
    if (!Number.isInteger(value) || value < 1 || value > max) problems[field] = `A whole number of days from 1 to ${max}.`;
  }
  if (f.keepUntilDeleted && !f.keepMessagesReason.trim()) problems.keepMessagesReason = 'Say why messages are kept until deleted; the record of processing shows it.';
  return problems;
}

export function toBody(f: RetentionForm) {
  return {
    messageDays: f.keepUntilDeleted ? null : Number(f.messageDays),
    keepMessagesReason: f.keepUntilDeleted ? f.keepMessagesReason.trim() : null,
    journalDays: Number(f.journalDays),
    exportDays: Number(f.exportDays),
    processedPayloadDays: Number(f.processedPayloadDays),
    auditDays: Number(f.auditDays),
  };
}

/** A purge's outcome in a sentence. */
export function describePurge(r: PurgeReport): string {
  if (r.held) return 'Nothing was deleted: a legal hold on the workspace keeps everything.';
  return `Deleted ${r.messages} messages, ${r.files} files, ${r.journalEntries} journal entries, ${r.processedPayloads} processed payloads and ${r.auditEvents} audit events in ${Math.round(r.elapsedMs)} ms.`;
}
