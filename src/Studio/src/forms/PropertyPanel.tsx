import { memo, useId, useRef } from 'react';
import type { ActivityDescriptor, FlowVariable, InputDescriptor, Member, Team } from '../api/types';
import { formatDuration, parseDuration, validateInputs, weekdays, type Calendar } from './validation';

export interface PropertyPanelProps {
  descriptor: ActivityDescriptor;
  nodeId: string;
  inputs: Record<string, unknown>;
  onChange: (name: string, value: unknown) => void;
  readOnly?: boolean;
  variables?: readonly FlowVariable[];
  teams?: readonly Team[];
  members?: readonly Member[];
  /** Problems the server reported for this node, by field. */
  serverErrors?: Record<string, string>;
}

export const placeholderHints = ['{{ contact.name }}', '{{ conversation.channel }}', '{{ message.text }}'];

interface FieldProps {
  input: InputDescriptor;
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
  readOnly: boolean;
  invalid: boolean;
  describedBy: string;
  variables: readonly FlowVariable[];
  teams: readonly Team[];
  members: readonly Member[];
}

function TemplateField({ id, value, onChange, readOnly, invalid, describedBy, variables, input }: FieldProps) {
  // Where the caret last was in the field; a placeholder picked before ever typing goes at the end.
  const caret = useRef<{ start: number; end: number } | null>(null);
  const text = typeof value === 'string' ? value : '';
  const insert = (placeholder: string) => {
    const { start, end } = caret.current ?? { start: text.length, end: text.length };
    onChange(text.slice(0, start) + placeholder + text.slice(end));
    caret.current = { start: start + placeholder.length, end: start + placeholder.length };
  };
  const hints = [...placeholderHints, ...variables.map(v => `{{ vars.${v.name} }}`)];
  return (
    <>
      <textarea id={id} rows={3} value={text} readOnly={readOnly} aria-invalid={invalid} aria-describedby={describedBy}
        data-testid={`input-${input.name}`} onChange={e => onChange(e.target.value)}
        onSelect={e => { caret.current = { start: e.currentTarget.selectionStart, end: e.currentTarget.selectionEnd }; }} />
      {!readOnly && (
        <div className="placeholder-hints" role="group" aria-label={`Insert a placeholder into ${input.displayName}`}>
          {hints.map(h => <button type="button" key={h} className="chip" onClick={() => insert(h)}>{h}</button>)}
        </div>
      )}
    </>
  );
}

function StringList({ id, value, onChange, readOnly, input, describedBy }: FieldProps) {
  const items = Array.isArray(value) ? value.map(v => (typeof v === 'string' ? v : String(v ?? ''))) : [];
  const noun = input.kind === 'keywords' ? 'keyword' : 'case';
  return (
    <div id={id} className="list-editor" role="group" aria-label={input.displayName} aria-describedby={describedBy}>
      {items.map((item, i) => (
        <div className="list-row" key={i}>
          <input aria-label={`${input.displayName} ${noun} ${i + 1}`} data-testid={`input-${input.name}-${i}`} value={item} readOnly={readOnly}
            onChange={e => onChange(items.map((x, j) => (j === i ? e.target.value : x)))} />
          {!readOnly && <button type="button" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>×</button>}
        </div>
      ))}
      {!readOnly && <button type="button" data-testid={`add-${input.name}`} onClick={() => onChange([...items, ''])}>Add {noun}</button>}
    </div>
  );
}

function PairList({ id, value, onChange, readOnly, input, describedBy, keys, labels }: FieldProps & { keys: [string, string]; labels: [string, string] }) {
  const items = (Array.isArray(value) ? value : []) as Array<Record<string, string>>;
  const set = (i: number, key: string, v: string) => onChange(items.map((x, j) => (j === i ? { ...x, [key]: v } : x)));
  return (
    <div id={id} className="list-editor" role="group" aria-label={input.displayName} aria-describedby={describedBy}>
      {items.map((item, i) => (
        <div className="list-row" key={i}>
          {keys.map((k, n) => (
            <input key={k} aria-label={`${input.displayName} ${i + 1} ${labels[n]}`} data-testid={`input-${input.name}-${i}-${k}`} placeholder={labels[n]}
              value={item?.[k] ?? ''} readOnly={readOnly} onChange={e => set(i, k, e.target.value)} />
          ))}
          {!readOnly && <button type="button" aria-label={`Remove ${input.displayName} ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>×</button>}
        </div>
      ))}
      {!readOnly && <button type="button" data-testid={`add-${input.name}`} onClick={() => onChange([...items, { [keys[0]]: '', [keys[1]]: '' }])}>Add</button>}
    </div>
  );
}

const durationUnits: Array<[number, string]> = [[1, 'seconds'], [60, 'minutes'], [3600, 'hours'], [86400, 'days']];

function DurationField({ id, value, onChange, readOnly, invalid, describedBy, input }: FieldProps) {
  const seconds = typeof value === 'string' ? parseDuration(value) : null;
  const unit = [...durationUnits].reverse().find(([u]) => seconds !== null && seconds > 0 && seconds % u === 0)?.[0] ?? 1;
  const amount = seconds === null ? '' : String(seconds / unit);
  return (
    <div className="duration">
      <input id={id} type="number" min={0} value={amount} readOnly={readOnly} aria-invalid={invalid} aria-describedby={describedBy}
        data-testid={`input-${input.name}`} onChange={e => onChange(e.target.value === '' ? undefined : formatDuration(Number(e.target.value) * unit))} />
      <select aria-label={`${input.displayName} unit`} value={unit} disabled={readOnly}
        onChange={e => seconds !== null && onChange(formatDuration((seconds / unit) * Number(e.target.value)))}>
        {durationUnits.map(([u, name]) => <option key={u} value={u}>{name}</option>)}
      </select>
    </div>
  );
}

function CalendarField({ id, value, onChange, readOnly, input, describedBy }: FieldProps) {
  const cal: Calendar = value && typeof value === 'object' ? (value as Calendar) : { timeZone: 'UTC', weekly: [], holidays: [] };
  const weekly = cal.weekly ?? [];
  const holidays = cal.holidays ?? [];
  const toggle = (day: string, on: boolean) =>
    onChange({ ...cal, weekly: on ? [...weekly, { day, open: '09:00', close: '17:00' }] : weekly.filter(d => d.day !== day) });
  const set = (day: string, key: 'open' | 'close', v: string) => onChange({ ...cal, weekly: weekly.map(d => (d.day === day ? { ...d, [key]: v } : d)) });
  return (
    <div id={id} className="calendar" role="group" aria-label={input.displayName} aria-describedby={describedBy}>
      <label>Time zone <input value={cal.timeZone ?? ''} readOnly={readOnly} data-testid={`input-${input.name}-timezone`}
        onChange={e => onChange({ ...cal, timeZone: e.target.value })} /></label>
      {weekdays.map(day => {
        const entry = weekly.find(d => d.day === day);
        return (
          <div className="calendar-day" key={day}>
            <label><input type="checkbox" checked={!!entry} disabled={readOnly} onChange={e => toggle(day, e.target.checked)} /> {day}</label>
            {entry && (
              <>
                <input type="time" aria-label={`${day} opens`} value={entry.open} readOnly={readOnly} onChange={e => set(day, 'open', e.target.value)} />
                <input type="time" aria-label={`${day} closes`} value={entry.close} readOnly={readOnly} onChange={e => set(day, 'close', e.target.value)} />
              </>
            )}
          </div>
        );
      })}
      <label>Holidays <input defaultValue={holidays.join(', ')} readOnly={readOnly} placeholder="2026-12-25, 2026-12-26" data-testid={`input-${input.name}-holidays`}
        onBlur={e => onChange({ ...cal, holidays: e.target.value.split(',').map(h => h.trim()).filter(Boolean) })} /></label>
    </div>
  );
}

function Field(props: FieldProps) {
  const { input, id, value, onChange, readOnly, invalid, describedBy, variables, teams, members } = props;
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy, 'data-testid': `input-${input.name}` };
  switch (input.kind) {
    case 'template':
      return <TemplateField {...props} />;
    case 'number':
      return <input {...common} type="number" readOnly={readOnly} value={typeof value === 'number' ? value : ''}
        onChange={e => onChange(e.target.value === '' ? undefined : e.target.valueAsNumber)} />;
    case 'boolean':
      return <input {...common} type="checkbox" disabled={readOnly} checked={value === true} onChange={e => onChange(e.target.checked)} />;
    case 'choice':
      return (
        <select {...common} disabled={readOnly} value={typeof value === 'string' ? value : ''} onChange={e => onChange(e.target.value || undefined)}>
          <option value="">Choose…</option>
          {(input.options ?? []).map(o => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
    case 'team':
    case 'agent': {
      const options = input.kind === 'team' ? teams.map(t => ({ value: t.id, label: t.name })) : members.map(m => ({ value: m.userId, label: `${m.displayName} (${m.email})` }));
      return (
        <select {...common} disabled={readOnly} value={typeof value === 'string' ? value : ''} onChange={e => onChange(e.target.value || undefined)}>
          <option value="">{input.kind === 'team' ? 'Choose a team…' : 'Choose an agent…'}</option>
          {options.map(o => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
    }
    case 'variable':
      return (
        <select {...common} disabled={readOnly} value={typeof value === 'string' ? value : ''} onChange={e => onChange(e.target.value || undefined)}>
          <option value="">Choose a variable…</option>
          {variables.map(v => <option key={v.name} value={v.name}>{v.name}</option>)}
        </select>
      );
    case 'keywords':
    case 'cases':
      return <StringList {...props} />;
    case 'choices':
      return <PairList {...props} keys={['title', 'value']} labels={['title', 'value']} />;
    case 'buttons':
      return <PairList {...props} keys={['title', 'payload']} labels={['title', 'payload']} />;
    case 'headers':
      return <PairList {...props} keys={['name', 'value']} labels={['name', 'value']} />;
    case 'duration':
      return <DurationField {...props} />;
    case 'calendar':
      return <CalendarField {...props} />;
    case 'json':
    case 'expression':
      return <textarea {...common} className="code" rows={input.kind === 'json' ? 5 : 2} readOnly={readOnly} spellCheck={false}
        value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value, null, 2)} onChange={e => onChange(e.target.value)} />;
    default:
      return <input {...common} type="text" readOnly={readOnly} value={typeof value === 'string' ? value : ''} onChange={e => onChange(e.target.value)} />;
  }
}

/** The form of one activity, generated from its descriptor's typed inputs, validated as the user types. */
export const PropertyPanel = memo(function PropertyPanel({
  descriptor, nodeId, inputs, onChange, readOnly = false, variables = [], teams = [], members = [], serverErrors = {},
}: PropertyPanelProps) {
  const prefix = useId();
  const errors = validateInputs(descriptor, inputs, variables);
  return (
    <form className="property-panel" aria-label={`Properties of ${nodeId}`} onSubmit={e => e.preventDefault()} noValidate>
      <h2>{descriptor.displayName} <span className="muted">({nodeId})</span></h2>
      {descriptor.description && <p className="muted">{descriptor.description}</p>}
      {descriptor.inputs.map(input => {
        const id = `${prefix}-${input.name}`;
        const message = errors[input.name] ?? serverErrors[input.name];
        const hintId = `${id}-hint`;
        const errorId = `${id}-error`;
        const describedBy = [input.hint ? hintId : '', message ? errorId : ''].filter(Boolean).join(' ');
        const isGroup = ['keywords', 'choices', 'buttons', 'cases', 'headers', 'calendar'].includes(input.kind);
        return (
          <div className={`field${message ? ' invalid' : ''}`} key={input.name}>
            {isGroup
              ? <span className="label">{input.displayName}{input.required && <span aria-hidden> *</span>}</span>
              : <label htmlFor={id}>{input.displayName}{input.required && <span aria-hidden> *</span>}</label>}
            <Field input={input} id={id} value={inputs[input.name]} onChange={v => onChange(input.name, v)} readOnly={readOnly}
              invalid={!!message} describedBy={describedBy} variables={variables} teams={teams} members={members} />
            {input.hint && <small id={hintId} className="hint">{input.hint}</small>}
            {message && <small id={errorId} className="error" role="alert">{message}</small>}
          </div>
        );
      })}
    </form>
  );
});
