import type { JournalEntry } from '../api/types';
import { useStudio } from '../context';

export function describe(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Why a run did what it did, step by step; significant decisions show their explanation and the variables they saw. */
export function JournalTable({ journal, contestedSequence = null, testId = 'journal' }: {
  journal: readonly (JournalEntry & { error?: string | null })[];
  contestedSequence?: number | null;
  testId?: string;
}) {
  const { descriptorIndex } = useStudio();
  const explained = journal.some(j => j.explanation);
  return (
    <table className="table journal" aria-label="Journal" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">#</th><th scope="col">Step</th><th scope="col">Activity</th><th scope="col">Inputs</th><th scope="col">Outcome</th>
          {explained && <th scope="col">Explanation</th>}
          <th scope="col">Messages sent</th><th scope="col">Assignment</th><th scope="col">When</th><th scope="col">ms</th>
        </tr>
      </thead>
      <tbody>
        {journal.map(j => (
          <tr key={j.sequence} className={j.sequence === contestedSequence ? 'contested' : undefined} data-testid={`journal-${j.sequence}`}>
            <td>{j.sequence}</td>
            <td><code>{j.nodeId}</code>{j.significant && <span className="decision-badge">decision</span>}</td>
            <td>{descriptorIndex.get(j.activityType)?.displayName ?? j.activityType}</td>
            <td><code className="wrap">{describe(j.inputs)}</code></td>
            <td>{j.outcome ?? j.error ?? ''}</td>
            {explained && (
              <td>
                {j.explanation && <span data-testid="explanation">{j.explanation}</span>}
                {j.variables && <details><summary>Variables then</summary><code className="wrap">{describe(j.variables)}</code></details>}
              </td>
            )}
            <td>{j.messagesSent.map((m, n) => <div key={n}>{m}</div>)}</td>
            <td>{describe(j.assignment)}</td>
            <td>{new Date(j.startedAt).toLocaleTimeString()}</td>
            <td>{j.durationMs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
