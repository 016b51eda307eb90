import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { CannedResponse } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { cannedPlaceholders, previewTemplate } from '../../admin/preview';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';

/** Short answers agents insert with a short code; their placeholders previewed with a sample contact. */
export function CannedResponses() {
  const { api, readOnly } = useStudio();
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [shortCode, setShortCode] = useState('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const preview = previewTemplate(text);

  const load = useCallback(async () => {
    try {
      setItems(await api.cannedResponses());
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    load();
  }, [load]);

  const insert = (placeholder: string) => {
    const el = textArea.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + placeholder + text.slice(end));
  };

  const reset = () => {
    setEditing(null);
    setShortCode('');
    setText('');
    setProblem(noProblem);
  };

  return (
    <section aria-labelledby="canned-heading" className="admin-section">
      <h2 id="canned-heading">Canned responses</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {!readOnly && (
        <form aria-label={editing ? 'Edit canned response' : 'New canned response'} noValidate className="canned-form" onSubmit={async e => {
          e.preventDefault();
          try {
            if (editing) await api.updateCannedResponse(editing, shortCode.trim(), text);
            else await api.createCannedResponse(shortCode.trim(), text);
            reset();
            await load();
          } catch (err) {
            setProblem(formProblem(err, ['shortCode', 'text']));
          }
        }}>
          <Field id="canned-code" label="Short code" error={problem.fields.shortCode} hint="What agents type after / to insert it.">
            <input id="canned-code" data-testid="canned-code" value={shortCode} onChange={e => setShortCode(e.target.value)}
              {...describe('canned-code', problem.fields.shortCode, true)} />
          </Field>
          <Field id="canned-text" label="Text" error={problem.fields.text ?? (preview.ok ? null : preview.message)}>
            <textarea id="canned-text" ref={textArea} data-testid="canned-text" rows={3} value={text} onChange={e => setText(e.target.value)}
              {...describe('canned-text', problem.fields.text ?? (preview.ok ? null : preview.message))} />
          </Field>
          <div className="placeholder-hints" role="group" aria-label="Insert a placeholder">
            {cannedPlaceholders.map(p => <button type="button" className="chip" key={p} onClick={() => insert(p)}>{p}</button>)}
          </div>
          {preview.ok && text && (
            <div className="preview" aria-live="polite">
              <span className="label">Preview (sample contact)</span>
              <p className="bubble from-bot" data-testid="canned-preview">{preview.text}</p>
            </div>
          )}
          <div className="actions">
            <button type="submit" className="primary" data-testid="save-canned">{editing ? 'Save' : 'Add'}</button>
            {editing && <button type="button" onClick={reset}>Cancel</button>}
          </div>
          <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
        </form>
      )}
      <table className="table compact" aria-label="Canned responses">
        <thead><tr><th scope="col">Short code</th><th scope="col">Text</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {items.length === 0 && <tr><td colSpan={3} className="muted">No canned responses yet.</td></tr>}
          {items.map(c => (
            <tr key={c.id}>
              <td><code>/{c.shortCode}</code></td><td>{c.text}</td>
              <td className="actions">{!readOnly && (
                <>
                  <button type="button" aria-label={`Edit /${c.shortCode}`} onClick={() => {
                    setEditing(c.id);
                    setShortCode(c.shortCode);
                    setText(c.text);
                  }}>Edit</button>
                  <button type="button" className="danger" aria-label={`Delete /${c.shortCode}`} onClick={async () => {
                    try {
                      await api.deleteCannedResponse(c.id);
                      await load();
                    } catch (err) {
                      setError(toApiError(err));
                    }
                  }}>Delete</button>
                </>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
