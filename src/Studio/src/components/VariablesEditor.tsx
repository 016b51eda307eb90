import type { FlowVariable, VariableType } from '../api/types';
import { validateVariables } from '../forms/validation';

const types: VariableType[] = ['text', 'number', 'boolean', 'date', 'json'];

export function VariablesEditor({ variables, onChange, readOnly }: { variables: FlowVariable[]; onChange: (v: FlowVariable[]) => void; readOnly: boolean }) {
  const problem = validateVariables(variables);
  const set = (i: number, patch: Partial<FlowVariable>) => onChange(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <section className="variables" aria-label="Flow variables">
      <h2>Flow variables</h2>
      {variables.length === 0 && <p className="muted">No variables. Activities can store answers in variables you define here.</p>}
      {variables.map((v, i) => (
        <div className="list-row" key={i}>
          <input aria-label={`Variable ${i + 1} name`} data-testid={`variable-${i}-name`} value={v.name} readOnly={readOnly} onChange={e => set(i, { name: e.target.value })} />
          <select aria-label={`Variable ${i + 1} type`} value={v.type} disabled={readOnly} onChange={e => set(i, { type: e.target.value as VariableType })}>
            {types.map(t => <option key={t} value={t}>{t}</option>)}
          </select>
          {!readOnly && <button type="button" aria-label={`Remove variable ${v.name || i + 1}`} onClick={() => onChange(variables.filter((_, j) => j !== i))}>×</button>}
        </div>
      ))}
      {problem && <p className="error" role="alert">{problem}</p>}
      {!readOnly && <button type="button" data-testid="add-variable" onClick={() => onChange([...variables, { name: '', type: 'text' }])}>Add variable</button>}
    </section>
  );
}
