import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { Workspace } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';

/** The workspace's name (the one setting the API has today). */
export function WorkspaceSettings({ onChanged }: { onChanged(): void }) {
  const { api, readOnly } = useStudio();
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.workspace().then(w => {
      setWorkspace(w);
      setName(w.name);
    }).catch(e => setError(toApiError(e)));
  }, [api]);

  return (
    <section aria-labelledby="workspace-heading" className="admin-section">
      <h2 id="workspace-heading">Workspace</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {workspace && (
        <form className="inline-form wrap" aria-label="Workspace settings" noValidate onSubmit={async e => {
          e.preventDefault();
          try {
            setWorkspace(await api.renameWorkspace(name.trim()));
            setProblem(noProblem);
            setSaved(true);
            onChanged();
          } catch (err) {
            setProblem(formProblem(err, ['name']));
          }
        }}>
          <Field id="workspace-name" label="Name" error={problem.fields.name}>
            <input id="workspace-name" data-testid="workspace-name" value={name} readOnly={readOnly}
              onChange={e => { setName(e.target.value); setSaved(false); }} {...describe('workspace-name', problem.fields.name)} />
          </Field>
          {!readOnly && <button type="submit" className="primary">Save</button>}
          {saved && <span role="status">Saved.</span>}
          <span className="muted">Handle: <code>{workspace.slug}</code></span>
        </form>
      )}
      <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
    </section>
  );
}
