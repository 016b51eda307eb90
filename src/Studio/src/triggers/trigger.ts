import type { FlowTrigger } from '../api/types';
import { isTimeZone, parseCron } from './cron';

export type TriggerType = 'MessageReceived' | 'ConversationCreated' | 'ConversationResolved' | 'Schedule' | 'Manual';

export const triggerTypes: { value: TriggerType; label: string }[] = [
  { value: 'MessageReceived', label: 'A message is received' },
  { value: 'ConversationCreated', label: 'A conversation is created' },
  { value: 'ConversationResolved', label: 'A conversation is resolved' },
  { value: 'Schedule', label: 'On a schedule' },
  { value: 'Manual', label: 'Only when started by hand' },
];

/** What a flow drawn in the Studio starts with: the customer's first message, on any channel. */
export const newFlowTrigger: FlowTrigger = { type: 'MessageReceived', inputs: { firstMessageOnly: true } };

/**
 * Each type's inputs; switching type keeps nothing of the other types, as the server ignores it anyway. A schedule
 * starts at 09:00 on weekdays in the workspace's time zone.
 */
export function changeType(type: TriggerType, timeZone = 'UTC'): FlowTrigger {
  if (type === 'MessageReceived') return structuredClone(newFlowTrigger);
  if (type === 'Schedule') return { type, inputs: { cron: '0 9 * * 1-5', timeZone } };
  return { type, inputs: {} };
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// .NET's inline options at the start of a pattern, which JavaScript does not know: (?i), (?im-s) ...
const inlineOptions = /^\(\?[imnsx]*(-[imnsx]+)?\)/;

/**
 * The regex as .NET would read it, checked with the browser's engine. The common .NET-only syntax (leading
 * inline options) is taken off first; the server checks again when validating and publishing.
 */
export function regexProblem(pattern: string): string | null {
  if (!pattern) return null;
  const flags = inlineOptions.exec(pattern)?.[0] ?? '';
  try {
    new RegExp(pattern.slice(flags.length));
    return null;
  } catch (e) {
    return `The regular expression is not valid: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** Problems keyed like the server's (`trigger.cron`, `trigger.regex` ...), so both show in the same place. */
export function validateTrigger(trigger: FlowTrigger): Record<string, string> {
  const problems: Record<string, string> = {};
  const inputs = trigger.inputs ?? {};
  if (!triggerTypes.some(t => t.value === trigger.type)) {
    problems['trigger.type'] = `Trigger '${trigger.type}' is unknown; use one of ${triggerTypes.map(t => t.value).join(', ')}.`;
    return problems;
  }
  if (trigger.type === 'MessageReceived') {
    const regex = regexProblem(text(inputs.regex));
    if (regex) problems['trigger.regex'] = regex;
    if (strings(inputs.keywords).some(k => !k.trim())) problems['trigger.keywords'] = 'A keyword cannot be empty.';
  }
  if (trigger.type === 'Schedule') {
    const cron = text(inputs.cron);
    if (!cron.trim()) problems['trigger.cron'] = 'A schedule trigger needs a cron expression.';
    else {
      const parsed = parseCron(cron);
      if (!parsed.ok) problems['trigger.cron'] = `The cron expression is not valid: ${parsed.message}`;
    }
    const zone = text(inputs.timeZone);
    if (zone && !isTimeZone(zone)) problems['trigger.timeZone'] = `Time zone '${zone}' is unknown; use an IANA id such as Europe/Berlin.`;
  }
  return problems;
}

export interface ConnectionRef { id: string; name: string; type: string }

const channelNames: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', discord: 'Discord', api: 'API channel' };

export function channelName(type: string, known: Record<string, string> = {}): string {
  return known[type] ?? channelNames[type.toLowerCase()] ?? type;
}

function list(items: string[], last = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** One line on the flows list: what makes this flow start, in the words of the business. */
export function describeTrigger(trigger: FlowTrigger | null | undefined, connections: readonly ConnectionRef[] = [], names: Record<string, string> = {}): string {
  const t = trigger ?? { type: 'Manual', inputs: {} };
  const inputs = t.inputs ?? {};
  switch (t.type) {
    case 'MessageReceived': {
      const byId = new Map(connections.map(c => [c.id, c]));
      const picked = strings(inputs.connectionIds).map(id => byId.get(id)?.name ?? 'a removed connection');
      const types = strings(inputs.channelTypes).map(x => channelName(x, names));
      const where = picked.length > 0 ? `${list(picked)} ` : types.length > 0 ? `${list(types)} ` : '';
      const first = inputs.firstMessageOnly === true;
      let line = first ? `answers the first ${where}message of a conversation` : `answers ${where}messages`;
      const keywords = strings(inputs.keywords).filter(k => k.trim());
      if (keywords.length > 0) line += ` containing ${list(keywords.map(k => `'${k}'`))}`;
      const regex = text(inputs.regex);
      if (regex) line += `${keywords.length > 0 ? ' and' : ''} matching /${regex}/`;
      return line;
    }
    case 'ConversationCreated':
      return 'runs when a conversation is created';
    case 'ConversationResolved':
      return 'runs when a conversation is resolved';
    case 'Schedule':
      return `runs on open conversations at '${text(inputs.cron)}' (${text(inputs.timeZone) || 'UTC'})`;
    case 'Manual':
      return 'starts only when started by hand';
    default:
      return `starts on ${t.type}`;
  }
}
