import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { Invitation, MemberDetail } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { assignableRoles, roleLabel } from '../../admin/roles';
import { ShownOnce } from '../../admin/ShownOnce';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';
import { runAction } from '../../api/runAction';

const availabilities = ['online', 'away', 'offline'];

/** Members with their roles and availability, and the invitations that bring new ones in. */
export function Members({ onChanged }: { onChanged(): void }) {
  const { api, me, readOnly } = useStudio();
  const [members, setMembers] = useState<MemberDetail[]>([]);
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('agent');
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setMembers((await api.memberList()).items);
      // Invitations are for admins; an auditor reads the members only.
      if (!readOnly) setInvitations((await api.invitations()).items);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api, readOnly]);

  useEffect(() => {
    load();
  }, [load]);

  const act = (action: () => Promise<unknown>) => runAction(action, async () => {
    await load();
    onChanged();
  }, setError);

  const invite = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const created = await api.invite(email.trim(), role);
      setLink({ email: created.email, url: `${window.location.origin}/studio/invitation#token=${encodeURIComponent(created.token)}` });
      setEmail('');
      setProblem(noProblem);
      await load();
    } catch (err) {
      setProblem(formProblem(err, ['email', 'role']));
    }
  };

  return (
    <section aria-labelledby="members-heading" className="admin-section">
      <h2 id="members-heading">Members</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <table className="table" aria-label="Members">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Availability</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {members.map(m => {
            const self = m.userId === me.userId;
            return (
              <tr key={m.userId} data-testid={`member-${m.email}`}>
                <td>{m.displayName}{self && <span className="muted"> (you)</span>}</td>
                <td>{m.email}</td>
                <td>
                  {readOnly || self || m.role.toLowerCase() === 'owner' ? roleLabel(m.role) : (
                    <select aria-label={`Role of ${m.displayName}`} value={m.role.toLowerCase()} onChange={e => act(() => api.changeRole(m.userId, e.target.value))}>
                      {assignableRoles.map(r => <option key={r} value={r}>{roleLabel(r)}</option>)}
                    </select>
                  )}
                </td>
                <td>
                  {self && !readOnly ? (
                    <select aria-label="My availability" value={m.availability.toLowerCase()} onChange={e => act(() => api.setMyAvailability(e.target.value))}>
                      {availabilities.map(a => <option key={a} value={a}>{roleLabel(a)}</option>)}
                    </select>
                  ) : roleLabel(m.availability)}
                </td>
                <td className="actions">
                  {!readOnly && !self && m.role.toLowerCase() !== 'owner' && (
                    <button type="button" className="danger" aria-label={`Remove ${m.displayName}`} onClick={() => {
                      if (window.confirm(`Remove ${m.displayName} from the workspace?`)) act(() => api.removeMember(m.userId));
                    }}>Remove</button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {!readOnly && (
        <>
          <h3>Invitations</h3>
          {link && (
            <ShownOnce title={`Invitation link for ${link.email}`} onDone={() => setLink(null)}
              lines={[{ label: 'Invitation link', value: link.url, testId: 'invitation-link' }]} />
          )}
          <form className="inline-form wrap" onSubmit={invite} aria-label="Invite someone" noValidate>
            <Field id="invite-email" label="Email" error={problem.fields.email}>
              <input id="invite-email" data-testid="invite-email" type="email" value={email} onChange={e => setEmail(e.target.value)} required
                {...describe('invite-email', problem.fields.email)} />
            </Field>
            <Field id="invite-role" label="Role" error={problem.fields.role}>
              <select id="invite-role" data-testid="invite-role" value={role} onChange={e => setRole(e.target.value)} {...describe('invite-role', problem.fields.role)}>
                {assignableRoles.map(r => <option key={r} value={r}>{roleLabel(r)}</option>)}
              </select>
            </Field>
            <button type="submit" className="primary" data-testid="invite">Invite</button>
          </form>
          <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
          <table className="table compact" aria-label="Invitations">
            <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {(invitations ?? []).length === 0 && <tr><td colSpan={5} className="muted">No invitations.</td></tr>}
              {(invitations ?? []).map(i => (
                <tr key={i.id} data-testid={`invitation-${i.email}`}>
                  <td>{i.email}</td><td>{roleLabel(i.role)}</td><td>{new Date(i.expiresAt).toLocaleString()}</td>
                  <td>{i.acceptedAt ? 'Accepted' : 'Waiting'}</td>
                  <td>{!i.acceptedAt && <button type="button" className="danger" aria-label={`Revoke the invitation of ${i.email}`}
                    onClick={() => act(() => api.revokeInvitation(i.id))}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
