import { useId } from 'react';
import type { FlowDecision } from '../api/types';

export interface DecisionEditorProps {
  nodeId: string;
  decision: FlowDecision | undefined;
  onChange: (decision: FlowDecision | undefined) => void;
  readOnly?: boolean;
  /** The server's message for `decision.explanation`, from the last validation or publish. */
  serverError?: string;
}

export const explanationHint = 'Liquid, e.g. Routed to Billing because the order total was {{ vars.total }}';

/** Whether a significant decision is ready to publish: it needs an explanation a customer can read. */
export function decisionProblem(decision: FlowDecision | undefined): string | null {
  if (!decision?.significant) return null;
  const text = decision.explanation?.trim() ?? '';
  if (!text) return 'A significant decision needs an explanation in plain language.';
  if (text.length > 1000) return 'The explanation is longer than 1000 characters.';
  return null;
}

/** Marks a step as a significant automated decision (customers may contest it) and edits its explanation. */
export function DecisionEditor({ nodeId, decision, onChange, readOnly = false, serverError }: DecisionEditorProps) {
  const id = useId();
  const problem = decisionProblem(decision) ?? serverError ?? null;
  const significant = !!decision?.significant;
  return (
    <fieldset className="decision-editor" aria-label={`Decision of ${nodeId}`}>
      <label>
        <input type="checkbox" data-testid="decision-significant" checked={significant} disabled={readOnly}
          onChange={e => onChange(e.target.checked ? { significant: true, explanation: decision?.explanation ?? '' } : undefined)} />
        {' '}Significant decision (customers may ask a person to review it)
      </label>
      {significant && (
        <div className={`field${problem ? ' invalid' : ''}`}>
          <label htmlFor={`${id}-explanation`}>Explanation<span aria-hidden> *</span></label>
          <textarea id={`${id}-explanation`} data-testid="decision-explanation" rows={3} readOnly={readOnly} value={decision?.explanation ?? ''}
            aria-invalid={!!problem} aria-describedby={`${id}-hint`} onChange={e => onChange({ significant: true, explanation: e.target.value })} />
          <small id={`${id}-hint`} className="hint">{explanationHint}</small>
          {problem && <small className="error" role="alert">{problem}</small>}
        </div>
      )}
    </fieldset>
  );
}
