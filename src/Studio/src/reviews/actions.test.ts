import { describe, expect, it } from 'vitest';
import type { ReviewCase } from '../api/types';
import { draftProblem, emptyDraft, queueOrder, toAction } from './actions';

describe('corrective actions', () => {
  it('send only the fields their type uses', () => {
    expect(toAction({ ...emptyDraft('reassignTeam'), teamId: 't1', tag: 'left over' })).toEqual({ type: 'reassignTeam', teamId: 't1' });
    expect(toAction({ ...emptyDraft('setAttribute'), key: ' plan ', value: 'gold' })).toEqual({ type: 'setAttribute', key: 'plan', value: 'gold' });
    expect(toAction({ ...emptyDraft('restartFlow'), nodeId: 'approved' })).toEqual({ type: 'restartFlow', nodeId: 'approved' });
    expect(toAction(emptyDraft('handOff'))).toEqual({ type: 'handOff' });
  });

  it('say what is missing', () => {
    expect(draftProblem(emptyDraft('reassignTeam'))).toBe('Choose the team.');
    expect(draftProblem({ ...emptyDraft('setAttribute'), key: 'plan' })).toBe('Give the attribute and its value.');
    expect(draftProblem({ ...emptyDraft('addTag'), tag: '  ' })).toBe('Give the tag.');
    expect(draftProblem(emptyDraft('handOff'))).toBeNull();
  });
});

describe('the queue', () => {
  const c = (id: string, status: ReviewCase['status'], dueAt: string, decidedAt?: string) =>
    ({ id, status, dueAt, decision: decidedAt ? { decidedAt } : null }) as unknown as ReviewCase;

  it('puts open cases first by due date, then decided ones newest first', () => {
    const ordered = queueOrder([
      c('decided-old', 'upheld', '2026-12-01', '2026-12-02'),
      c('late', 'open', '2026-12-09'),
      c('decided-new', 'overturned', '2026-12-01', '2026-12-03'),
      c('soon', 'inReview', '2026-12-05'),
    ]);
    expect(ordered.map(x => x.id)).toEqual(['soon', 'late', 'decided-new', 'decided-old']);
  });
});
