import { describe, expect, it } from 'vitest';
import { apiQuery, breakdownQuery, filtersQuery, formatDuration, formatSatisfaction, parseFilters, percent, rangeQuery } from './report';

describe('report filters', () => {
  it('default to the last 30 days by day and survive the URL both ways', () => {
    const f = parseFilters('', new Date('2026-12-04T10:00:00Z'));
    expect(f).toEqual({ from: '2026-11-05', to: '2026-12-04', groupBy: 'day', timeZone: '', channel: '', time: 'business', label: '' });
    const shared = filtersQuery({ ...f, groupBy: 'week', channel: 'telegram', timeZone: 'Europe/Berlin', time: 'calendar', label: 'billing' });
    expect(parseFilters(`?${shared}`)).toEqual(
      { from: '2026-11-05', to: '2026-12-04', groupBy: 'week', timeZone: 'Europe/Berlin', channel: 'telegram', time: 'calendar', label: 'billing' });
    expect(parseFilters('?groupBy=fortnight').groupBy).toBe('day');
  });

  it('asks the API for whole days up to the end of the last one', () => {
    const q = new URLSearchParams(apiQuery({ from: '2026-11-05', to: '2026-12-04', groupBy: 'day', timeZone: '', channel: '', time: 'business', label: ' ' }));
    expect(q.has('label')).toBe(false);
    expect(q.get('from')).toBe('2026-11-05T00:00:00Z');
    expect(q.get('time')).toBe('business');
    expect(q.get('to')).toBe('2026-12-05T00:00:00.000Z');
    expect(q.has('timeZone')).toBe(false);
  });

  it('asks breakdowns for the same range only', () => {
    const f = { from: '2026-11-05', to: '2026-12-04', groupBy: 'week', timeZone: 'Europe/Berlin', channel: 'telegram', time: 'calendar', label: 'vip' } as const;
    expect(new URLSearchParams(apiQuery(f)).get('label')).toBe('vip');
    expect([...new URLSearchParams(breakdownQuery(f)).keys()]).toEqual(['from', 'to', 'time']);
    expect([...new URLSearchParams(rangeQuery(f)).keys()]).toEqual(['from', 'to']);
  });

  it('says durations the way people do', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(720)).toBe('12 min');
    expect(formatDuration(12_600)).toBe('3.5 h');
    expect(formatDuration(181_440)).toBe('2.1 d');
    expect(percent(0.666)).toBe('67 %');
    expect(percent(null)).toBe('—');
    expect(formatSatisfaction({ rated: 12, average: 4.25, csat: 0.8333 })).toBe('4.3 · 83 % (12)');
    expect(formatSatisfaction({ rated: 0, average: null, csat: null })).toBe('—');
  });
});
