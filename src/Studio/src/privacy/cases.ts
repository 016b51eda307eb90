import type { PrivacyRequest } from '../api/types';

/** "3 days left", "due today", "2 days overdue": what the list shows beside the due date. */
export function countdown(request: Pick<PrivacyRequest, 'status' | 'dueAt' | 'closedAt'>, now: Date = new Date()): string {
  if (request.status === 'completed' || request.status === 'refused') return request.status;
  const days = Math.floor((new Date(request.dueAt).getTime() - now.getTime()) / 86_400_000);
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'due today';
  return days === -1 ? '1 day overdue' : `${-days} days overdue`;
}

export function isOpenRequest(request: Pick<PrivacyRequest, 'status'>): boolean {
  return request.status === 'received' || request.status === 'inProgress';
}

/** Requests answered with an export. */
export function hasExport(request: Pick<PrivacyRequest, 'type'>): boolean {
  return request.type === 'access' || request.type === 'portability';
}
