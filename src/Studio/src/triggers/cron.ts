// Cron as the server's Cronos reads it: 5 fields (minute hour day month weekday) or 6 with seconds first.

interface FieldSpec { name: string; min: number; max: number; names?: string[] }

const seconds: FieldSpec = { name: 'second', min: 0, max: 59 };
const minutes: FieldSpec = { name: 'minute', min: 0, max: 59 };
const hours: FieldSpec = { name: 'hour', min: 0, max: 23 };
const days: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const months: FieldSpec = {
  name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const weekdays: FieldSpec = { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };

export interface CronSchedule {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  /** 0 = Sunday; 7 is folded into 0. */
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
  /** Uses L, W or # (valid on the server, not previewed here). */
  special: boolean;
}

export type CronResult = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

function value(token: string, spec: FieldSpec): number {
  const upper = token.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec === months ? 1 : 0);
  if (!/^\d+$/.test(token)) throw new Error(`'${token}' is not a valid ${spec.name}.`);
  const n = Number(token);
  if (n < spec.min || n > spec.max) throw new Error(`The ${spec.name} ${n} is outside ${spec.min}-${spec.max}.`);
  return n;
}

function parseField(text: string, spec: FieldSpec, allowQuestion: boolean): { values: Set<number>; restricted: boolean; special: boolean } {
  if (text === '*' || (allowQuestion && text === '?')) {
    const all = new Set<number>();
    for (let i = spec.min; i <= spec.max; i++) all.add(i);
    return { values: all, restricted: false, special: false };
  }
  const values = new Set<number>();
  let special = false;
  for (const part of text.split(',')) {
    if (!part) throw new Error(`The ${spec.name} field has an empty list item.`);
    if ((spec === days || spec === weekdays) && /[LW#]/i.test(part)) {
      if (!/^(L(-\d+)?W?|\d+W|LW|[0-7A-Za-z]{1,3}#[1-5]|[0-7A-Za-z]{0,3}L)$/i.test(part)) throw new Error(`'${part}' is not a valid ${spec.name}.`);
      special = true;
      continue;
    }
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`'${part}' has more than one step.`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new Error(`The step '${stepText}' in the ${spec.name} field must be a positive number.`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*' || (allowQuestion && range === '?')) {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || !a || !b) throw new Error(`'${range}' is not a valid range of the ${spec.name}.`);
      from = value(a, spec);
      to = value(b, spec);
      if (from > to) throw new Error(`The range ${range} of the ${spec.name} runs backwards.`);
    } else {
      from = value(range, spec);
      to = stepText !== undefined ? spec.max : from;
    }
    for (let i = from; i <= to; i += step) values.add(i);
  }
  return { values, restricted: true, special };
}

/** Parses a cron expression, with a message a person can act on when it is not valid. */
export function parseCron(expression: string): CronResult {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) {
    return { ok: false, message: `A cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first; this one has ${fields.length}.` };
  }
  const [s, m, h, d, mo, w] = fields.length === 6 ? fields : ['0', ...fields];
  try {
    const dayField = parseField(d, days, true);
    const weekdayField = parseField(w, weekdays, true);
    const weekdaySet = new Set([...weekdayField.values].map(x => x % 7));
    return {
      ok: true,
      schedule: {
        seconds: parseField(s, seconds, false).values,
        minutes: parseField(m, minutes, false).values,
        hours: parseField(h, hours, false).values,
        days: dayField.values,
        months: parseField(mo, months, false).values,
        weekdays: weekdaySet,
        daysRestricted: dayField.restricted,
        weekdaysRestricted: weekdayField.restricted,
        special: dayField.special || weekdayField.special,
      },
    };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** Whether the browser knows this IANA time zone id. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The time zones to offer: the browser's list when it has one. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

// Minutes to add to UTC to get the zone's wall clock at this instant.
function offsetMinutes(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find(p => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60000);
}

// The instant a wall-clock time in the zone stands for (the later offset across a change of clocks).
function instantOf(zone: string, wallUtc: number): number {
  let guess = wallUtc - offsetMinutes(zone, wallUtc) * 60000;
  guess = wallUtc - offsetMinutes(zone, guess) * 60000;
  return guess;
}

function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  if (!s.months.has(month)) return false;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const byDay = s.days.has(day);
  const byWeekday = s.weekdays.has(weekday);
  // Classic cron: when both fields are restricted, either one is enough.
  if (s.daysRestricted && s.weekdaysRestricted) return byDay || byWeekday;
  return byDay && byWeekday;
}

/**
 * The next `count` times the schedule fires after `after`, in its time zone; empty when it uses L, W or #, which
 * only the server previews. Looks at most ten years ahead (a 29 February schedule fires within eight).
 */
export function nextOccurrences(schedule: CronSchedule, zone: string, after: Date, count = 5): Date[] {
  if (schedule.special) return [];
  const found: Date[] = [];
  const start = after.getTime();
  const local = new Date(start + offsetMinutes(zone, start) * 60000);
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  const hs = sorted(schedule.hours);
  const ms = sorted(schedule.minutes);
  const ss = sorted(schedule.seconds);
  for (let d = 0; d < 3700 && found.length < count; d++) {
    const date = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + d));
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (!dayMatches(schedule, y, mo, day)) continue;
    for (const h of hs) {
      for (const m of ms) {
        for (const s of ss) {
          const at = instantOf(zone, Date.UTC(y, mo - 1, day, h, m, s));
          if (at > start && !found.some(f => f.getTime() === at)) found.push(new Date(at));
          if (found.length >= count) return found;
        }
      }
    }
  }
  return found;
}
