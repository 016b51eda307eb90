import type { ChannelFieldDescriptor, ChannelTypeDescriptor } from '../api/types';
import { describe, Field } from './Field';

/**
 * Used only while the server answers 404 to `GET /api/v1/channel-types` (before the channel modules describe
 * themselves): what POST /api/v1/channels takes today for the two channels it connects.
 */
export const fallbackChannelTypes: ChannelTypeDescriptor[] = [
  {
    type: 'telegram', displayName: 'Telegram', modes: ['webhook', 'polling'], rotatable: ['botToken'],
    fields: [{ name: 'botToken', label: 'Bot token', kind: 'secret', required: true, help: 'From @BotFather', options: null, modes: null }],
  },
  {
    type: 'api', displayName: 'API channel', modes: ['webhook'], rotatable: ['callbackUrl'],
    fields: [{ name: 'callbackUrl', label: 'Callback URL', kind: 'url', required: true, help: 'Where OneInbox posts outbound messages for your integration.', options: null, modes: null }],
  },
];

export type FieldValues = Record<string, string>;

/** The fields that apply in a connection mode (a field without modes applies in all). */
export function fieldsFor(descriptor: ChannelTypeDescriptor, mode: string | null, only?: readonly string[]): ChannelFieldDescriptor[] {
  return descriptor.fields.filter(f => (!f.modes || !mode || f.modes.includes(mode)) && (!only || only.includes(f.name)));
}

/** Checks as the browser can: required, URLs, options; the server's Problem Details add the rest by field. */
export function validateFields(fields: readonly ChannelFieldDescriptor[], values: FieldValues, requireAll = true): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? '').trim();
    if (!v) {
      if (f.required && requireAll) errors[f.name] = `${f.label} is required.`;
      continue;
    }
    if (f.kind === 'url') {
      try {
        const url = new URL(v);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') errors[f.name] = `${f.label} must be an http(s) URL.`;
      } catch {
        errors[f.name] = `${f.label} must be an absolute URL.`;
      }
    }
    if (f.kind === 'select' && f.options && !f.options.includes(v)) errors[f.name] = `${f.label} must be one of ${f.options.join(', ')}.`;
  }
  return errors;
}

/** The request body's part for these fields: lists as arrays, empty optional fields left out. */
export function bodyOf(fields: readonly ChannelFieldDescriptor[], values: FieldValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? '').trim();
    if (!v) continue;
    body[f.name] = f.kind === 'list' ? v.split(/[\n,]/).map(x => x.trim()).filter(Boolean) : v;
  }
  return body;
}

/** The inputs of a channel's settings, rendered from its module's description. */
export function ChannelFields({ idPrefix, fields, values, onChange, errors, readOnly = false }: {
  idPrefix: string; fields: readonly ChannelFieldDescriptor[]; values: FieldValues; onChange(values: FieldValues): void;
  errors: Record<string, string | undefined>; readOnly?: boolean;
}) {
  return (
    <>
      {fields.map(f => {
        const id = `${idPrefix}-${f.name}`;
        const error = errors[f.name];
        const common = {
          id, 'data-testid': `channel-field-${f.name}`, readOnly, required: f.required,
          ...describe(id, error, !!f.help),
        };
        const set = (v: string) => onChange({ ...values, [f.name]: v });
        const value = values[f.name] ?? '';
        return (
          <Field key={f.name} id={id} label={`${f.label}${f.required ? ' *' : ''}`} error={error} hint={f.help ?? undefined}>
            {f.kind === 'select' ? (
              <select {...common} disabled={readOnly} value={value} onChange={e => set(e.target.value)}>
                <option value="">Choose…</option>
                {(f.options ?? []).map(o => <option key={o} value={o}>{o}</option>)}
              </select>
            ) : f.kind === 'list' ? (
              <textarea {...common} rows={3} value={value} onChange={e => set(e.target.value)} placeholder="One per line" />
            ) : (
              <input {...common} type={f.kind === 'secret' ? 'password' : f.kind === 'url' ? 'url' : 'text'} autoComplete="off" spellCheck={false}
                value={value} onChange={e => set(e.target.value)} />
            )}
          </Field>
        );
      })}
    </>
  );
}
