import type { ActivityDescriptor, FlowVariable, InputDescriptor } from '../api/types';

export type FieldErrors = Record<string, string>;

export interface CalendarDay { day: string; open: string; close: string }
/** The engine's business-hours calendar. */
export interface Calendar { timeZone: string; weekly: CalendarDay[]; holidays?: string[] }

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const shortDuration = /^(\d+)\s*([smhd])$/i;
const isoDuration = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const maxButtonTitle = 20;
const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a duration as the engine reads it (`30s`, `5m`, `2h`, `1d` or ISO 8601 `PT5M`), or null. */
export function parseDuration(value: string): number | null {
  const text = value.trim();
  const short = shortDuration.exec(text);
  if (short) return Number(short[1]) * unitSeconds[short[2].toLowerCase()];
  const iso = isoDuration.exec(text);
  if (!iso || text.toUpperCase() === 'P' || text.toUpperCase().endsWith('T')) return null;
  const [, d, h, m, s] = iso;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** The shortest form the engine reads: the largest whole unit. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  for (const unit of ['d', 'h', 'm'] as const) {
    if (s > 0 && s % unitSeconds[unit] === 0) return `${s / unitSeconds[unit]}${unit}`;
  }
  return `${s}s`;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function duplicates(names: string[]): string | null {
  const seen = new Set<string>();
  for (const n of names) {
    const key = n.toLowerCase();
    if (seen.has(key)) return n;
    seen.add(key);
  }
  return null;
}

/** The first problem with one input's value, worded for the person editing it; null when it is fine. */
export function validateInput(input: InputDescriptor, value: unknown, variables: readonly FlowVariable[] = []): string | null {
  const label = input.displayName;
  if (isEmpty(value)) return input.required ? `${label} is required.` : null;

  switch (input.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${label} must be a number.`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `${label} must be yes or no.`;
    case 'text':
    case 'expression':
    case 'team':
    case 'agent':
      return typeof value === 'string' ? null : `${label} must be text.`;
    case 'template': {
      if (typeof value !== 'string') return `${label} must be text.`;
      const opens = (value.match(/\{\{/g) ?? []).length;
      const closes = (value.match(/\}\}/g) ?? []).length;
      return opens === closes ? null : `${label} has a placeholder without its closing }}.`;
    }
    case 'choice':
      if (input.options && !input.options.some(o => o.value === value)) return `${label} must be one of the listed options.`;
      return null;
    case 'keywords': {
      if (!Array.isArray(value) || value.some(k => typeof k !== 'string' || !k.trim())) return `${label} must not contain empty keywords.`;
      return null;
    }
    case 'choices': {
      // [{title, value}]: the title is the button, the value the outcome.
      if (!Array.isArray(value)) return `${label} must be a list.`;
      const choices = value as Array<{ title?: string; value?: string }>;
      if (choices.some(c => !c?.title?.trim())) return `Every choice in ${label} needs a title.`;
      if (choices.some(c => !c?.value?.trim())) return `Every choice in ${label} needs a value.`;
      const twice = duplicates(choices.map(c => c.value!.trim()));
      return twice ? `${label} has "${twice}" twice; each choice becomes its own outcome.` : null;
    }
    case 'cases': {
      // ["a", "b"]: each case is a value the expression is compared with, and an outcome.
      if (!Array.isArray(value)) return `${label} must be a list.`;
      if (value.some(c => typeof c !== 'string' || !c.trim())) return `Every case in ${label} needs a value.`;
      const twice = duplicates((value as string[]).map(c => c.trim()));
      return twice ? `${label} has the case "${twice}" twice.` : null;
    }
    case 'buttons': {
      if (!Array.isArray(value)) return `${label} must be a list.`;
      const buttons = value as Array<{ title?: string; payload?: string }>;
      if (buttons.some(b => !b?.title?.trim())) return `Every button in ${label} needs a title.`;
      if (buttons.some(b => (b.title ?? '').length > maxButtonTitle)) return `Button titles in ${label} may have at most ${maxButtonTitle} characters.`;
      return null;
    }
    case 'duration': {
      const seconds = typeof value === 'string' ? parseDuration(value) : null;
      if (seconds === null) return `${label} must be a duration like 5m, 2h or 1d.`;
      return seconds > 0 ? null : `${label} must be longer than zero.`;
    }
    case 'calendar': {
      const cal = value as Partial<Calendar>;
      if (!cal || typeof cal !== 'object' || !Array.isArray(cal.weekly)) return `${label} must be a business-hours calendar.`;
      if (!cal.timeZone?.trim()) return `${label} needs a time zone.`;
      for (const d of cal.weekly) {
        if (!clock.test(d.open) || !clock.test(d.close)) return `${label}: hours on ${d.day} must look like 09:00.`;
        if (d.open >= d.close) return `${label}: on ${d.day} opening must be before closing.`;
      }
      if ((cal.holidays ?? []).some(h => !isoDate.test(h))) return `${label}: holidays are dates like 2026-12-25.`;
      return null;
    }
    case 'variable': {
      if (typeof value !== 'string' || !variableName.test(value)) return `${label} must be a variable name.`;
      return variables.some(v => v.name === value) ? null : `${label}: the variable "${value}" is not defined in this flow.`;
    }
    case 'json': {
      if (typeof value !== 'string') return null;
      try {
        JSON.parse(value);
        return null;
      } catch {
        return `${label} is not valid JSON.`;
      }
    }
    case 'headers': {
      if (!Array.isArray(value)) return `${label} must be a list.`;
      const headers = value as Array<{ name?: string }>;
      return headers.some(h => !h?.name || !headerName.test(h.name)) ? `Every header in ${label} needs a valid name.` : null;
    }
  }
  return null;
}

export function validateInputs(descriptor: ActivityDescriptor, inputs: Record<string, unknown>, variables: readonly FlowVariable[] = []): FieldErrors {
  const errors: FieldErrors = {};
  for (const input of descriptor.inputs) {
    const message = validateInput(input, inputs[input.name], variables);
    if (message) errors[input.name] = message;
  }
  return errors;
}

export function validateVariables(variables: readonly FlowVariable[]): string | null {
  for (const v of variables) if (!variableName.test(v.name)) return `"${v.name}" is not a valid variable name (letters, digits, _).`;
  const twice = duplicates(variables.map(v => v.name));
  return twice ? `The variable "${twice}" is defined twice.` : null;
}
