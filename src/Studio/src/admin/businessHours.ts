import type { BusinessHours, OpeningHours } from '../api/types';

export const weekDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const shortNames: Record<string, string> = {
  monday: 'Mon', tuesday: 'Tue', wednesday: 'Wed', thursday: 'Thu', friday: 'Fri', saturday: 'Sat', sunday: 'Sun',
};

export function dayName(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

export interface Slot { open: string; close: string }

/** One row per day of the week, Monday first, each with its openings in time order (none: closed that day). */
export type WeekRows = Record<string, Slot[]>;

export function toRows(hours: BusinessHours): WeekRows {
  const rows: WeekRows = Object.fromEntries(weekDays.map(d => [d, [] as Slot[]]));
  for (const h of hours.weekly) rows[h.day.toLowerCase()]?.push({ open: h.open, close: h.close });
  for (const day of weekDays) rows[day].sort((a, b) => a.open.localeCompare(b.open));
  return rows;
}

export function fromRows(rows: WeekRows): OpeningHours[] {
  return weekDays.flatMap(day => rows[day].map(s => ({ day, open: s.open, close: s.close })));
}

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * What the server would refuse, keyed `day.index` for the opening it concerns: times as HH:mm, closing after
 * opening, and openings of one day that overlap (the server would accept them, but they are always a slip).
 */
export function hoursProblems(rows: WeekRows): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const day of weekDays) {
    rows[day].forEach((slot, i) => {
      const key = `${day}.${i}`;
      if (!clock.test(slot.open) || !clock.test(slot.close)) problems[key] = 'Times are HH:mm, e.g. 09:00.';
      else if (slot.close <= slot.open) problems[key] = 'Closing time must be after the opening time.';
      else if (rows[day].some((other, j) => j !== i && clock.test(other.open) && clock.test(other.close) && other.open < slot.close && slot.open < other.close))
        problems[key] = `This overlaps another opening on ${dayName(day)}.`;
    });
  }
  return problems;
}

export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** "Mon–Fri 09:00–17:00 · Sat 10:00–14:00 · 2 closed dates": consecutive days with the same hours share one entry. */
export function summarizeHours(hours: BusinessHours): string {
  const rows = toRows(hours);
  const label = (day: string) => rows[day].map(s => `${s.open}–${s.close}`).join(', ');
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= weekDays.length; i++) {
    if (i < weekDays.length && label(weekDays[i]) === label(weekDays[start])) continue;
    const text = label(weekDays[start]);
    if (text) {
      const days = i - 1 === start ? shortNames[weekDays[start]] : `${shortNames[weekDays[start]]}–${shortNames[weekDays[i - 1]]}`;
      parts.push(`${days} ${text}`);
    }
    start = i;
  }
  if (parts.length === 0) parts.push('Closed every day');
  const closed = hours.holidays.length;
  if (closed > 0) parts.push(`${closed} closed date${closed === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
