import { useId, useMemo, useState, type ReactNode } from 'react';
import type { FlowTrigger } from '../api/types';
import { nextOccurrences, parseCron, timeZones } from './cron';
import { changeType, channelName, strings, triggerTypes, validateTrigger, type ConnectionRef, type TriggerType } from './trigger';

export interface ChannelTypeRef { type: string; displayName: string }

export interface TriggerEditorProps {
  trigger: FlowTrigger;
  /** `field` names what changed, so typing into one field is one undo step. */
  onChange(trigger: FlowTrigger, field: string): void;
  readOnly?: boolean;
  connections?: readonly ConnectionRef[];
  channelTypes?: readonly ChannelTypeRef[];
  /** Problems the server reported, keyed `trigger.<field>`. */
  serverErrors?: Record<string, string>;
  priority?: number;
  /** Saves the flow's priority; rejects with a message to show beside the field. */
  onPriority?(priority: number): Promise<void>;
  now?: () => Date;
  /** The workspace's time zone: a schedule starts in it. */
  timeZone?: string;
}

function Field({ id, label, error, hint, group, children }: { id: string; label: string; error?: string; hint?: string; group?: boolean; children: ReactNode }) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      {group ? <span className="label" id={`${id}-label`}>{label}</span> : <label htmlFor={id}>{label}</label>}
      {children}
      {hint && <small id={`${id}-hint`} className="hint">{hint}</small>}
      {error && <small id={`${id}-error`} className="error" role="alert" data-testid={`${id}-error`}>{error}</small>}
    </div>
  );
}

function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Keywords({ id, value, onChange, readOnly, error }: { id: string; value: string[]; onChange(v: string[]): void; readOnly: boolean; error?: string }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const words = draft.split(',').map(w => w.trim()).filter(w => w && !value.includes(w));
    if (words.length > 0) onChange([...value, ...words]);
    setDraft('');
  };
  return (
    <div className="chips" role="group" aria-labelledby={`${id}-label`}>
      {value.map((k, i) => (
        <span className="chip keyword" key={`${k}-${i}`} data-testid="trigger-keyword">
          {k}
          {!readOnly && <button type="button" aria-label={`Remove keyword ${k}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>×</button>}
        </span>
      ))}
      {!readOnly && (
        <input id={id} data-testid="trigger-keyword-input" value={draft} placeholder="Type a word, press Enter" aria-label="New keyword"
          aria-describedby={describedBy(id, true, error)} aria-invalid={!!error}
          onChange={e => setDraft(e.target.value)} onBlur={add}
          onKeyDown={e => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              add();
            } else if (e.key === 'Backspace' && !draft && value.length > 0) onChange(value.slice(0, -1));
          }} />
      )}
    </div>
  );
}

function Checkboxes({ id, options, value, onChange, readOnly, testId }: {
  id: string; options: { value: string; label: string }[]; value: string[]; onChange(v: string[]): void; readOnly: boolean; testId: string;
}) {
  return (
    <div role="group" aria-labelledby={`${id}-label`} className="checkbox-list" id={id}>
      {options.map(o => (
        <label key={o.value} className="checkbox">
          <input type="checkbox" disabled={readOnly} checked={value.includes(o.value)} data-testid={`${testId}-${o.value}`}
            onChange={e => onChange(e.target.checked ? [...value, o.value] : value.filter(v => v !== o.value))} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

function Occurrences({ cron, zone, now }: { cron: string; zone: string; now: () => Date }) {
  const times = useMemo(() => {
    const parsed = parseCron(cron);
    if (!parsed.ok) return null;
    return nextOccurrences(parsed.schedule, zone, now(), 5);
  }, [cron, zone, now]);
  if (times === null) return null;
  const format = new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="occurrences" aria-live="polite">
      <span className="label">Next five times ({zone})</span>
      {times.length === 0
        ? <p className="muted">The server computes the times of this schedule when it is published.</p>
        : <ol data-testid="trigger-next">{times.map(t => <li key={t.getTime()}>{format.format(t)}</li>)}</ol>}
    </div>
  );
}

const defaultNow = () => new Date();

/** What starts the flow: its type and that type's inputs, checked as the server checks them while typing. */
export function TriggerEditor({
  trigger, onChange, readOnly = false, connections = [], channelTypes = [], serverErrors = {}, priority, onPriority, now = defaultNow, timeZone = 'UTC',
}: TriggerEditorProps) {
  const prefix = useId();
  const id = (name: string) => `${prefix}-${name}`;
  const inputs = trigger.inputs ?? {};
  const local = validateTrigger(trigger);
  const error = (field: string) => local[`trigger.${field}`] ?? serverErrors[`trigger.${field}`];
  const set = (field: string, value: unknown) => {
    const next = { ...inputs };
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || value === false) delete next[field];
    else next[field] = value;
    onChange({ type: trigger.type, inputs: next }, field);
  };
  const zones = useMemo(() => timeZones(), []);
  const [priorityText, setPriorityText] = useState(priority === undefined ? '' : String(priority));
  const [priorityError, setPriorityError] = useState<string | null>(null);
  const savePriority = async () => {
    if (!onPriority || priority === undefined || priorityText === String(priority)) return;
    const value = Number(priorityText);
    if (priorityText.trim() === '' || !Number.isInteger(value)) {
      setPriorityError('Priority must be a whole number.');
      return;
    }
    try {
      await onPriority(value);
      setPriorityError(null);
    } catch (e) {
      setPriorityError((e as Error).message);
    }
  };
  const knownTypes = channelTypes.length > 0
    ? channelTypes.map(c => ({ value: c.type, label: c.displayName }))
    : [...new Set(connections.map(c => c.type))].map(t => ({ value: t, label: channelName(t) }));
  const names = Object.fromEntries(knownTypes.map(t => [t.value, t.label]));

  return (
    <form className="property-panel trigger-editor" aria-label="Trigger" noValidate onSubmit={e => e.preventDefault()}>
      <h2>Trigger</h2>
      <Field id={id('type')} label="Starts when" error={error('type')}>
        <select id={id('type')} data-testid="trigger-type" disabled={readOnly} value={trigger.type}
          onChange={e => onChange(changeType(e.target.value as TriggerType, timeZone), 'type')}>
          {triggerTypes.map(t => <option key={t.value} value={t.value}>{t.label}</option>)}
          {!triggerTypes.some(t => t.value === trigger.type) && <option value={trigger.type}>{trigger.type}</option>}
        </select>
      </Field>

      {trigger.type === 'MessageReceived' && (
        <>
          <Field id={id('first')} label="Conversation">
            <label className="checkbox">
              <input id={id('first')} type="checkbox" data-testid="trigger-first-only" disabled={readOnly} checked={inputs.firstMessageOnly === true}
                onChange={e => set('firstMessageOnly', e.target.checked)} />
              First message of a conversation only
            </label>
          </Field>
          <Field id={id('channels')} label="Channels (none ticked: all)" group>
            {knownTypes.length === 0
              ? <p className="muted">No channel is connected yet.</p>
              : <Checkboxes id={id('channels')} options={knownTypes.map(t => ({ value: t.value, label: names[t.value] }))} testId="trigger-channel"
                  value={strings(inputs.channelTypes)} readOnly={readOnly} onChange={v => set('channelTypes', v)} />}
          </Field>
          {connections.length > 0 && (
            <Field id={id('connections')} label="Connections (none ticked: all)" group>
              <Checkboxes id={id('connections')} testId="trigger-connection" readOnly={readOnly} value={strings(inputs.connectionIds)}
                options={connections.map(c => ({ value: c.id, label: `${c.name} (${channelName(c.type, names)})` }))}
                onChange={v => set('connectionIds', v)} />
            </Field>
          )}
          <Field id={id('keywords')} label="Keywords (whole words, any case)" group error={error('keywords')}
            hint="The message must contain one of these words.">
            <Keywords id={id('keywords')} value={strings(inputs.keywords)} readOnly={readOnly} error={error('keywords')} onChange={v => set('keywords', v)} />
          </Field>
          <Field id={id('regex')} label="Regular expression" error={error('regex')} hint="The message must also match this .NET regular expression.">
            <input id={id('regex')} data-testid="trigger-regex" className="code" readOnly={readOnly} spellCheck={false}
              value={typeof inputs.regex === 'string' ? inputs.regex : ''} aria-invalid={!!error('regex')}
              aria-describedby={describedBy(id('regex'), true, error('regex'))} onChange={e => set('regex', e.target.value)} />
          </Field>
        </>
      )}

      {trigger.type === 'Schedule' && (
        <>
          <Field id={id('cron')} label="Cron expression" error={error('cron')}
            hint="minute hour day month weekday, e.g. 0 9 * * 1-5 for 09:00 on weekdays (6 fields: seconds first).">
            <input id={id('cron')} data-testid="trigger-cron" className="code" readOnly={readOnly} spellCheck={false}
              value={typeof inputs.cron === 'string' ? inputs.cron : ''} aria-invalid={!!error('cron')}
              aria-describedby={describedBy(id('cron'), true, error('cron'))} onChange={e => set('cron', e.target.value)} />
          </Field>
          <Field id={id('zone')} label="Time zone" error={error('timeZone')}>
            <input id={id('zone')} data-testid="trigger-timezone" list={id('zones')} readOnly={readOnly}
              value={typeof inputs.timeZone === 'string' ? inputs.timeZone : ''} placeholder="UTC" aria-invalid={!!error('timeZone')}
              aria-describedby={describedBy(id('zone'), false, error('timeZone'))} onChange={e => set('timeZone', e.target.value)} />
            <datalist id={id('zones')}>{zones.map(z => <option key={z} value={z} />)}</datalist>
          </Field>
          {!error('cron') && !error('timeZone') && (
            <Occurrences cron={typeof inputs.cron === 'string' ? inputs.cron : ''} zone={typeof inputs.timeZone === 'string' && inputs.timeZone ? inputs.timeZone : 'UTC'} now={now} />
          )}
        </>
      )}

      {trigger.type === 'Manual' && <p className="muted">Started through the API or by an admin on one conversation.</p>}

      {priority !== undefined && (
        <Field id={id('priority')} label="Priority among flows" error={priorityError ?? undefined}
          hint="When several flows could start for the same event, the highest priority starts. Saved when you leave the field.">
          <input id={id('priority')} data-testid="trigger-priority" type="number" step={1} readOnly={readOnly} value={priorityText}
            aria-invalid={!!priorityError} aria-describedby={describedBy(id('priority'), true, priorityError ?? undefined)}
            onChange={e => setPriorityText(e.target.value)} onBlur={savePriority}
            onKeyDown={e => { if (e.key === 'Enter') savePriority(); }} />
        </Field>
      )}
    </form>
  );
}
