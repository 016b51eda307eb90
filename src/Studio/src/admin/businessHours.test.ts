import { describe, expect, it } from 'vitest';
import { fromRows, hoursProblems, isDate, summarizeHours, toRows } from './businessHours';
import { changeType } from '../triggers/trigger';

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map(day => ({ day, open: '09:00', close: '17:00' }));

describe('business hours', () => {
  it('summarizes consecutive days with the same hours as one range', () => {
    expect(summarizeHours({ weekly: weekdays, holidays: [] })).toBe('Mon–Fri 09:00–17:00');
    expect(summarizeHours({
      weekly: [...weekdays, { day: 'saturday', open: '10:00', close: '14:00' }],
      holidays: ['2026-12-25', '2026-12-26'],
    })).toBe('Mon–Fri 09:00–17:00 · Sat 10:00–14:00 · 2 closed dates');
    expect(summarizeHours({ weekly: [], holidays: ['2026-12-25'] })).toBe('Closed every day · 1 closed date');
  });

  it('keeps a split day apart from the days around it', () => {
    const weekly = [...weekdays.filter(w => w.day !== 'wednesday'),
      { day: 'wednesday', open: '13:00', close: '17:00' }, { day: 'wednesday', open: '09:00', close: '12:00' }];
    expect(summarizeHours({ weekly, holidays: [] })).toBe('Mon–Tue 09:00–17:00 · Wed 09:00–12:00, 13:00–17:00 · Thu–Fri 09:00–17:00');
  });

  it('turns rows back into the API shape, Monday first and each day in time order', () => {
    const rows = toRows({ weekly: [{ day: 'Sunday', open: '10:00', close: '12:00' }, ...weekdays.slice(0, 1)], holidays: [] });
    expect(rows.sunday).toEqual([{ open: '10:00', close: '12:00' }]);
    expect(fromRows(rows).map(h => h.day)).toEqual(['monday', 'sunday']);
  });

  it('finds backwards, malformed and overlapping openings, keyed by day and position', () => {
    const rows = toRows({ weekly: [], holidays: [] });
    rows.monday = [{ open: '17:00', close: '09:00' }];
    rows.tuesday = [{ open: '9', close: '17:00' }];
    rows.wednesday = [{ open: '09:00', close: '13:00' }, { open: '12:00', close: '17:00' }];
    rows.thursday = [{ open: '09:00', close: '12:00' }, { open: '12:00', close: '17:00' }];
    expect(hoursProblems(rows)).toEqual({
      'monday.0': 'Closing time must be after the opening time.',
      'tuesday.0': 'Times are HH:mm, e.g. 09:00.',
      'wednesday.0': 'This overlaps another opening on Wednesday.',
      'wednesday.1': 'This overlaps another opening on Wednesday.',
    });
  });

  it('accepts only real dates as closed dates', () => {
    expect(isDate('2026-12-25')).toBe(true);
    expect(isDate('25.12.2026')).toBe(false);
    expect(isDate('2026-13-01')).toBe(false);
  });

  it('starts a new schedule in the workspace time zone', () => {
    expect(changeType('Schedule', 'Europe/Berlin')).toEqual({ type: 'Schedule', inputs: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } });
    expect(changeType('Schedule').inputs).toMatchObject({ timeZone: 'UTC' });
  });
});
