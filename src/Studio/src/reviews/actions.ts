import type { ReviewAction, ReviewActionType, ReviewCase } from '../api/types';

/** A corrective action as the form edits it: every field a string, empty when not used. */
export interface ActionDraft {
  type: ReviewActionType;
  teamId: string;
  memberId: string;
  key: string;
  value: string;
  tag: string;
  text: string;
  nodeId: string;
}

export const actionLabels: Record<ReviewActionType, string> = {
  reassignTeam: 'Reassign to a team',
  assignAgent: 'Assign to an agent',
  handOff: 'Reopen and hand off to people',
  setAttribute: 'Set a contact attribute',
  clearAttribute: 'Clear a contact attribute',
  addTag: 'Add a tag',
  removeTag: 'Remove a tag',
  sendMessage: 'Send a message',
  restartFlow: 'Restart the flow from a step',
};

export function emptyDraft(type: ReviewActionType): ActionDraft {
  return { type, teamId: '', memberId: '', key: '', value: '', tag: '', text: '', nodeId: '' };
}

/** What is missing before the action can be sent; null when it is complete. */
export function draftProblem(d: ActionDraft): string | null {
  switch (d.type) {
    case 'reassignTeam': return d.teamId ? null : 'Choose the team.';
    case 'assignAgent': return d.memberId ? null : 'Choose the agent.';
    case 'setAttribute': return d.key.trim() && d.value.trim() ? null : 'Give the attribute and its value.';
    case 'clearAttribute': return d.key.trim() ? null : 'Give the attribute.';
    case 'addTag':
    case 'removeTag': return d.tag.trim() ? null : 'Give the tag.';
    case 'sendMessage': return d.text.trim() ? null : 'Write the message.';
    case 'restartFlow': return d.nodeId ? null : 'Choose the step to restart from.';
    default: return null;
  }
}

/** The body the API expects: only the fields the action's type uses. */
export function toAction(d: ActionDraft): ReviewAction {
  switch (d.type) {
    case 'reassignTeam': return { type: d.type, teamId: d.teamId };
    case 'assignAgent': return { type: d.type, memberId: d.memberId };
    case 'setAttribute': return { type: d.type, key: d.key.trim(), value: d.value };
    case 'clearAttribute': return { type: d.type, key: d.key.trim() };
    case 'addTag':
    case 'removeTag': return { type: d.type, tag: d.tag.trim() };
    case 'sendMessage': return { type: d.type, text: d.text };
    case 'restartFlow': return { type: d.type, nodeId: d.nodeId };
    default: return { type: d.type };
  }
}

/** Open cases first by nearest due date, then decided ones, newest first (the server's order, kept when filtering). */
export function queueOrder(cases: readonly ReviewCase[]): ReviewCase[] {
  const open = cases.filter(c => c.status === 'open' || c.status === 'inReview').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const closed = cases.filter(c => !(c.status === 'open' || c.status === 'inReview'))
    .sort((a, b) => (b.decision?.decidedAt ?? '').localeCompare(a.decision?.decidedAt ?? ''));
  return [...open, ...closed];
}

export function isOpen(c: Pick<ReviewCase, 'status'>): boolean {
  return c.status === 'open' || c.status === 'inReview';
}
