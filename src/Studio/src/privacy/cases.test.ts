import { describe, expect, it } from 'vitest';
import { countdown, hasExport } from './cases';

describe('privacy case countdown', () => {
  const now = new Date('2026-12-04T10:00:00Z');
  const open = (dueAt: string) => ({ status: 'received' as const, dueAt, closedAt: null });

  it('counts whole days left, today and overdue', () => {
    expect(countdown(open('2026-12-08T12:00:00Z'), now)).toBe('4 days left');
    expect(countdown(open('2026-12-05T11:00:00Z'), now)).toBe('1 day left');
    expect(countdown(open('2026-12-04T18:00:00Z'), now)).toBe('due today');
    expect(countdown(open('2026-12-03T12:00:00Z'), now)).toBe('1 day overdue');
    expect(countdown(open('2026-11-30T09:00:00Z'), now)).toBe('5 days overdue');
  });

  it('shows how a closed case ended instead', () => {
    expect(countdown({ status: 'refused', dueAt: '2026-11-01T00:00:00Z', closedAt: '2026-11-02T00:00:00Z' }, now)).toBe('refused');
  });

  it('knows which requests are answered with an export', () => {
    expect(hasExport({ type: 'portability' })).toBe(true);
    expect(hasExport({ type: 'erasure' })).toBe(false);
  });
});
