import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { MemberDetail, TeamDetail } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';
import { runAction } from '../../api/runAction';

function MemberPicker({ members, value, onChange, readOnly, label }: {
  members: MemberDetail[]; value: string[]; onChange(v: string[]): void; readOnly: boolean; label: string;
}) {
  return (
    <div role="group" aria-label={label} className="checkbox-list">
      {members.map(m => (
        <label key={m.userId} className="checkbox">
          <input type="checkbox" disabled={readOnly} checked={value.includes(m.userId)}
            onChange={e => onChange(e.target.checked ? [...value, m.userId] : value.filter(id => id !== m.userId))} />
          {m.displayName}
        </label>
      ))}
    </div>
  );
}

/** Teams that flows and agents route conversations to, with their members. */
export function Teams({ onChanged }: { onChanged(): void }) {
  const { api, readOnly } = useStudio();
  const [teams, setTeams] = useState<TeamDetail[]>([]);
  const [members, setMembers] = useState<MemberDetail[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [problem, setProblem] = useState<FormProblem>(noProblem);

  const load = useCallback(async () => {
    try {
      const [t, m] = await Promise.all([api.teamList(), api.memberList()]);
      setTeams(t);
      setMembers(m.items);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    load();
  }, [load]);

  const act = (action: () => Promise<unknown>) => runAction(action, async () => {
    await load();
    onChanged();
  }, setError);

  return (
    <section aria-labelledby="teams-heading" className="admin-section">
      <h2 id="teams-heading">Teams</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {!readOnly && (
        <form aria-label="New team" noValidate onSubmit={async e => {
          e.preventDefault();
          try {
            await api.createTeam(name.trim(), picked);
            setName('');
            setPicked([]);
            setProblem(noProblem);
            await load();
            onChanged();
          } catch (err) {
            setProblem(formProblem(err, ['name', 'memberIds']));
          }
        }}>
          <Field id="team-name" label="Team name" error={problem.fields.name}>
            <input id="team-name" data-testid="team-name" value={name} onChange={e => setName(e.target.value)} {...describe('team-name', problem.fields.name)} />
          </Field>
          <MemberPicker members={members} value={picked} onChange={setPicked} readOnly={false} label="Members of the new team" />
          {problem.fields.memberIds && <small className="error" role="alert">{problem.fields.memberIds}</small>}
          <button type="submit" className="primary" data-testid="create-team">Create team</button>
          <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
        </form>
      )}
      <table className="table compact" aria-label="Teams">
        <thead><tr><th scope="col">Team</th><th scope="col">Members</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {teams.length === 0 && <tr><td colSpan={3} className="muted">No teams yet.</td></tr>}
          {teams.map(t => (
            <tr key={t.id} data-testid={`team-${t.name}`}>
              <td>{t.name}</td>
              <td>
                <MemberPicker members={members} value={t.memberIds} readOnly={readOnly} label={`Members of ${t.name}`}
                  onChange={ids => act(() => api.updateTeam(t.id, { memberIds: ids }))} />
              </td>
              <td>{!readOnly && <button type="button" className="danger" aria-label={`Delete team ${t.name}`} onClick={() => {
                if (window.confirm(`Delete the team ${t.name}?`)) act(() => api.deleteTeam(t.id));
              }}>Delete</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
