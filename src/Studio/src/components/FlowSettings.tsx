import { useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowDetail } from '../api/types';
import { useStudio } from '../context';
import { ErrorBanner } from './ErrorBanner';

/** Name, description and priority (which flow wins when several triggers match the same message). */
export function FlowSettings({ flow, onSaved }: { flow: FlowDetail; onSaved: (flow: FlowDetail) => void }) {
  const { api, readOnly } = useStudio();
  const [name, setName] = useState(flow.name);
  const [description, setDescription] = useState(flow.description ?? '');
  const [priority, setPriority] = useState(String(flow.priority));
  const [error, setError] = useState<ApiError | null>(null);
  const priorityValue = Number(priority);
  const invalid = !name.trim() ? 'Name is required.' : !Number.isInteger(priorityValue) ? 'Priority must be a whole number.' : null;

  return (
    <form className="property-panel" aria-label="Flow settings" noValidate onSubmit={async e => {
      e.preventDefault();
      if (invalid) return;
      try {
        onSaved(await api.updateFlow(flow.id, { name: name.trim(), description, priority: priorityValue }));
        setError(null);
      } catch (err) {
        setError(toApiError(err));
      }
    }}>
      <h2>Flow settings</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="field">
        <label htmlFor="flow-name">Name *</label>
        <input id="flow-name" data-testid="flow-name" value={name} readOnly={readOnly} maxLength={200} onChange={e => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="flow-description">Description</label>
        <textarea id="flow-description" rows={3} value={description} readOnly={readOnly} onChange={e => setDescription(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="flow-priority">Priority</label>
        <input id="flow-priority" data-testid="flow-priority" type="number" step={1} value={priority} readOnly={readOnly}
          aria-describedby="flow-priority-hint" onChange={e => setPriority(e.target.value)} />
        <small id="flow-priority-hint" className="hint">When several flows could start for the same message, the highest priority starts.</small>
      </div>
      {invalid && <p className="error" role="alert">{invalid}</p>}
      {!readOnly && <button type="submit" className="primary" data-testid="save-settings" disabled={!!invalid}>Save settings</button>}
    </form>
  );
}
