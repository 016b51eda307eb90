import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { CreatedIntegrationClient, IntegrationClient } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { assignableRoles, roleLabel } from '../../admin/roles';
import { ShownOnce } from '../../admin/ShownOnce';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';

/** Machine clients (client credentials) of the workspace: the secret is shown once, a client can be revoked. */
export function IntegrationClients() {
  const { api, readOnly } = useStudio();
  const [clients, setClients] = useState<IntegrationClient[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState('agent');
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [created, setCreated] = useState<CreatedIntegrationClient | null>(null);

  const load = useCallback(async () => {
    try {
      setClients((await api.integrationClients()).items);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    if (!readOnly) load();
  }, [load, readOnly]);

  if (readOnly) {
    return (
      <section aria-labelledby="clients-heading" className="admin-section">
        <h2 id="clients-heading">Integration clients</h2>
        <p className="muted">Only admins see and manage integration clients.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="clients-heading" className="admin-section">
      <h2 id="clients-heading">Integration clients</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {created && (
        <ShownOnce title={`Credentials of ${created.name}`} onDone={() => setCreated(null)} lines={[
          { label: 'Client id', value: created.clientId, testId: 'client-id' },
          { label: 'Client secret', value: created.clientSecret, testId: 'client-secret' },
        ]} />
      )}
      <form className="inline-form wrap" aria-label="New integration client" noValidate onSubmit={async e => {
        e.preventDefault();
        try {
          setCreated(await api.createIntegrationClient(name.trim(), role));
          setName('');
          setProblem(noProblem);
          await load();
        } catch (err) {
          setProblem(formProblem(err, ['name', 'role']));
        }
      }}>
        <Field id="client-name" label="Name" error={problem.fields.name}>
          <input id="client-name" data-testid="client-name" value={name} onChange={e => setName(e.target.value)} {...describe('client-name', problem.fields.name)} />
        </Field>
        <Field id="client-role" label="Role" error={problem.fields.role}>
          <select id="client-role" value={role} onChange={e => setRole(e.target.value)} {...describe('client-role', problem.fields.role)}>
            {assignableRoles.map(r => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </select>
        </Field>
        <button type="submit" className="primary" data-testid="create-client">Create client</button>
      </form>
      <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
      <table className="table compact" aria-label="Integration clients">
        <thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {clients.length === 0 && <tr><td colSpan={5} className="muted">No integration clients.</td></tr>}
          {clients.map(c => (
            <tr key={c.id} data-testid={`client-${c.name}`}>
              <td>{c.name}</td><td><code>{c.clientId}</code></td><td>{roleLabel(c.role)}</td>
              <td>{c.revokedAt ? `Revoked ${new Date(c.revokedAt).toLocaleString()}` : 'Active'}</td>
              <td>{!c.revokedAt && <button type="button" className="danger" aria-label={`Revoke ${c.name}`} onClick={async () => {
                if (!window.confirm(`Revoke ${c.name}? Its tokens stop working.`)) return;
                try {
                  await api.revokeIntegrationClient(c.id);
                  await load();
                } catch (err) {
                  setError(toApiError(err));
                }
              }}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
