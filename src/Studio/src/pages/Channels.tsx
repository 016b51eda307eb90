import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { ChannelConnection, ChannelConnectionCreated, ChannelTypeDescriptor, Envelope, OutboxRow } from '../api/types';
import { bodyOf, ChannelFields, fallbackChannelTypes, fieldsFor, validateFields, type FieldValues } from '../admin/channelForm';
import { describe, Field } from '../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../admin/fieldErrors';
import { ShownOnce, type SecretLine } from '../admin/ShownOnce';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { runAction } from '../api/runAction';

const refreshMs = 5000;

function when(at: string | null): string {
  return at ? new Date(at).toLocaleString() : 'never';
}

function secretsOf(created: ChannelConnectionCreated): SecretLine[] {
  const lines: SecretLine[] = [];
  if (created.inboundUrl) lines.push({ label: 'Inbound URL', value: created.inboundUrl, testId: 'secret-inbound-url' });
  lines.push({ label: 'Inbound secret', value: created.inboundSecret, testId: 'secret-inbound' });
  if (created.signingSecret) lines.push({ label: 'Signing secret', value: created.signingSecret, testId: 'secret-signing' });
  return lines;
}

/** Connect a channel: its module's fields, a mode, and an optional provider address (tests, proxies). */
function ConnectForm({ types, onConnected }: { types: ChannelTypeDescriptor[]; onConnected(created: ChannelConnectionCreated): void }) {
  const { api } = useStudio();
  const [type, setType] = useState(types[0]?.type ?? '');
  const descriptor = types.find(t => t.type === type) ?? types[0];
  const [name, setName] = useState('');
  const [mode, setMode] = useState(descriptor?.modes[0] ?? '');
  const [values, setValues] = useState<FieldValues>({});
  const [baseUrl, setBaseUrl] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  if (!descriptor) return <p className="muted">This server offers no channel to connect.</p>;
  const fields = fieldsFor(descriptor, mode);
  const errors = { ...problem.fields, ...checked };

  return (
    <form className="property-panel connect-form" aria-label="Connect a channel" noValidate onSubmit={async e => {
      e.preventDefault();
      const local = validateFields(fields, values);
      if (!name.trim()) local.name = 'Name is required.';
      setChecked(local);
      if (Object.keys(local).length > 0) return;
      try {
        const created = await api.createChannel({
          type: descriptor.type, name: name.trim(), mode, ...bodyOf(fields, values), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        });
        setName('');
        setValues({});
        setProblem(noProblem);
        onConnected(created);
      } catch (err) {
        setProblem(formProblem(err, ['name', 'mode', 'baseUrl', ...descriptor.fields.map(f => f.name)]));
      }
    }}>
      <h2>Connect a channel</h2>
      <Field id="connect-type" label="Channel">
        <select id="connect-type" data-testid="connect-type" value={descriptor.type} onChange={e => {
          const next = types.find(t => t.type === e.target.value);
          setType(e.target.value);
          setMode(next?.modes[0] ?? '');
          setValues({});
          setChecked({});
        }}>
          {types.map(t => <option key={t.type} value={t.type}>{t.displayName}</option>)}
        </select>
      </Field>
      <Field id="connect-name" label="Name *" error={errors.name}>
        <input id="connect-name" data-testid="connect-name" value={name} onChange={e => setName(e.target.value)} {...describe('connect-name', errors.name)} />
      </Field>
      {descriptor.modes.length > 1 && (
        <Field id="connect-mode" label="Receive messages by" error={errors.mode}>
          <select id="connect-mode" data-testid="connect-mode" value={mode} onChange={e => setMode(e.target.value)} {...describe('connect-mode', errors.mode)}>
            {descriptor.modes.map(m => <option key={m} value={m}>{m === 'webhook' ? 'Webhook (the provider calls us)' : m === 'polling' ? 'Polling (we ask the provider)' : m}</option>)}
          </select>
        </Field>
      )}
      <ChannelFields idPrefix="connect" fields={fields} values={values} onChange={setValues} errors={errors} />
      <details>
        <summary>Advanced</summary>
        <Field id="connect-baseUrl" label="Provider API address" error={errors.baseUrl} hint="Leave empty for the provider's own address; set it for a proxy or a test double.">
          <input id="connect-baseUrl" data-testid="connect-base-url" type="url" value={baseUrl} onChange={e => setBaseUrl(e.target.value)}
            {...describe('connect-baseUrl', errors.baseUrl, true)} />
        </Field>
      </details>
      <button type="submit" className="primary" data-testid="connect">Connect</button>
      <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
    </form>
  );
}

/** Failed inbound envelopes and outbound rows of one connection, each replayable. */
function Failures({ connection }: { connection: ChannelConnection }) {
  const { api, readOnly } = useStudio();
  const [envelopes, setEnvelopes] = useState<Envelope[]>([]);
  const [outbox, setOutbox] = useState<OutboxRow[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      const [e, o] = await Promise.all([api.envelopes(connection.id), api.outbox(connection.id)]);
      setEnvelopes(e.items);
      setOutbox(o.items);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [api, connection.id]);
  useEffect(() => {
    load();
  }, [load, connection.health.failedEnvelopes, connection.health.failedOutbox]);
  const replay = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await load();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <div className="failures">
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <h4>Parked inbound deliveries</h4>
      {envelopes.length === 0 ? <p className="muted">None.</p> : (
        <ul>{envelopes.map(e => (
          <li key={e.id}>
            <code>{e.providerId}</code> · {e.attempts} attempts · {new Date(e.receivedAt).toLocaleString()} {e.lastError && <span className="error">{e.lastError}</span>}
            {!readOnly && <button type="button" onClick={() => replay(() => api.replayEnvelope(connection.id, e.id))}>Replay</button>}
          </li>
        ))}</ul>
      )}
      <h4>Failed outbound messages</h4>
      {outbox.length === 0 ? <p className="muted">None.</p> : (
        <ul>{outbox.map(o => (
          <li key={o.id}>
            {o.attempts} attempts · {new Date(o.createdAt).toLocaleString()} {o.lastError && <span className="error">{o.lastError}</span>}
            {!readOnly && <button type="button" onClick={() => replay(() => api.replayOutbox(connection.id, o.id))}>Replay</button>}
          </li>
        ))}</ul>
      )}
    </div>
  );
}

function ConnectionRow({ connection, descriptor, onChanged }: { connection: ChannelConnection; descriptor?: ChannelTypeDescriptor; onChanged(): void }) {
  const { api, readOnly } = useStudio();
  const [rotating, setRotating] = useState(false);
  const [values, setValues] = useState<FieldValues>({});
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [showFailures, setShowFailures] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const h = connection.health;
  const rotatable = descriptor ? fieldsFor(descriptor, connection.mode, descriptor.rotatable) : [];
  const act = (action: () => Promise<unknown>) => runAction(action, onChanged, setError);
  return (
    <li className="connection" data-testid={`connection-${connection.name}`} aria-label={connection.name}>
      <div className="connection-head">
        <h3>{connection.name}</h3>
        <span className="badge">{descriptor?.displayName ?? connection.type}</span>
        <span className="badge">{connection.mode}</span>
        <span className={`badge ${h.lastError ? 'status-faulted' : h.lastInboundAt ? 'status-completed' : ''}`} data-testid="connection-state">
          {h.lastError ? 'Error' : h.lastInboundAt ? 'Receiving' : 'Waiting for a first message'}
        </span>
      </div>
      <dl className="health">
        <dt>Last in</dt><dd data-testid="last-in">{when(h.lastInboundAt)}</dd>
        <dt>Last out</dt><dd data-testid="last-out">{when(h.lastOutboundAt)}</dd>
        <dt>Outbox</dt><dd>{h.pendingOutbox} pending, {h.failedOutbox} failed</dd>
        <dt>Parked</dt><dd>{h.failedEnvelopes} inbound</dd>
        {h.lastError && <><dt>Last error</dt><dd className="error">{h.lastError} ({when(h.lastErrorAt)})</dd></>}
      </dl>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="actions">
        {!readOnly && descriptor && descriptor.modes.length > 1 && (
          <label>
            Mode{' '}
            <select aria-label={`Mode of ${connection.name}`} value={connection.mode} onChange={e => act(() => api.updateChannel(connection.id, { mode: e.target.value }))}>
              {descriptor.modes.map(m => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
        )}
        {!readOnly && rotatable.length > 0 && <button type="button" onClick={() => setRotating(r => !r)} aria-expanded={rotating}>Rotate credentials</button>}
        <button type="button" onClick={() => setShowFailures(s => !s)} aria-expanded={showFailures}>Failed deliveries ({h.failedOutbox + h.failedEnvelopes})</button>
        {!readOnly && <button type="button" className="danger" aria-label={`Disconnect ${connection.name}`} onClick={() => {
          if (window.confirm(`Disconnect ${connection.name}? Messages stop arriving from it.`)) act(() => api.deleteChannel(connection.id));
        }}>Disconnect</button>}
      </div>
      {rotating && (
        <form className="property-panel" aria-label={`Rotate the credentials of ${connection.name}`} noValidate onSubmit={async e => {
          e.preventDefault();
          const local = validateFields(rotatable, values, false);
          if (Object.keys(local).length > 0 || Object.keys(bodyOf(rotatable, values)).length === 0) {
            setProblem({ fields: Object.keys(local).length > 0 ? local : { [rotatable[0].name]: 'Enter the new value.' }, form: null });
            return;
          }
          try {
            await api.updateChannel(connection.id, bodyOf(rotatable, values));
            setValues({});
            setRotating(false);
            setProblem(noProblem);
            onChanged();
          } catch (err) {
            setProblem(formProblem(err, rotatable.map(f => f.name)));
          }
        }}>
          <ChannelFields idPrefix={`rotate-${connection.id}`} fields={rotatable} values={values} onChange={setValues} errors={problem.fields} />
          <button type="submit" className="primary">Save new credentials</button>
          <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
        </form>
      )}
      {showFailures && <Failures connection={connection} />}
    </li>
  );
}

/** The workspace's channel connections with their health, refreshed while the page is open. */
export function Channels() {
  const { api, readOnly } = useStudio();
  const [connections, setConnections] = useState<ChannelConnection[] | null>(null);
  const [types, setTypes] = useState<ChannelTypeDescriptor[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<ChannelConnectionCreated | null>(null);

  const load = useCallback(async () => {
    try {
      setConnections(await api.channels());
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    api.channelTypes().then(setTypes).catch(e => {
      if (toApiError(e).status === 404) setTypes(fallbackChannelTypes);
    });
    load();
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, [api, load]);

  const forbidden = error?.status === 403;
  return (
    <main className="page admin-page">
      <h1>Channels</h1>
      {forbidden ? <p className="notice" role="status">Channel connections and their credentials are for admins.</p>
        : <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {created && (
        <ShownOnce title={`${created.connection.name} is connected`} onDone={() => setCreated(null)} lines={secretsOf(created)} />
      )}
      <div className="channels-layout">
        <ul className="connections" aria-label="Connections" aria-live="polite">
          {connections?.length === 0 && <li className="muted">No channel is connected yet.</li>}
          {(connections ?? []).map(c => (
            <ConnectionRow key={c.id} connection={c} descriptor={types.find(t => t.type === c.type)} onChanged={load} />
          ))}
        </ul>
        {!readOnly && types.length > 0 && <ConnectForm types={types} onConnected={c => {
          setCreated(c);
          load();
        }} />}
      </div>
    </main>
  );
}
