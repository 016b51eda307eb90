import type { FlowProblem } from '../api/types';

/** The last validation's problems; a problem on a node leads to it. Null: not validated yet. */
export function ProblemsPanel({ problems, onFocusNode, onOpenTrigger }: {
  problems: FlowProblem[] | null; onFocusNode(nodeId: string): void; onOpenTrigger?(): void;
}) {
  return (
    <section aria-label="Problems">
      <h2>Problems</h2>
      {problems === null && <p className="muted">Validate to check the flow before publishing.</p>}
      {problems !== null && problems.length === 0 && <p>No problems.</p>}
      <ul className="problems" data-testid="problems">
        {(problems ?? []).map((p, i) => (
          <li key={i}>
            {p.nodeId ? <button type="button" className="link" onClick={() => onFocusNode(p.nodeId!)}>{p.nodeId}</button>
              : p.field?.startsWith('trigger.') && onOpenTrigger ? <button type="button" className="link" onClick={onOpenTrigger}>Trigger</button>
                : <strong>Flow</strong>}
            {p.field && <code> {p.field}</code>}: {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
