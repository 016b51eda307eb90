import { useState } from 'react';

export interface SecretLine { label: string; value: string; testId: string }

/**
 * Secrets the server shows one time only: each with a copy button, and a warning that closing the box loses
 * them. Nothing here is kept once dismissed.
 */
export function ShownOnce({ title, lines, onDone }: { title: string; lines: SecretLine[]; onDone(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <section className="shown-once" role="region" aria-label={title} data-testid="shown-once">
      <h3>{title}</h3>
      <p className="warning" role="note"><strong>Shown once.</strong> Copy it now: the server keeps only a hash and cannot show it again.</p>
      {lines.map(line => (
        <div className="secret-line" key={line.label}>
          <span className="label">{line.label}</span>
          <code data-testid={line.testId}>{line.value}</code>
          <button type="button" aria-label={`Copy ${line.label}`} onClick={async () => {
            try {
              await navigator.clipboard.writeText(line.value);
              setCopied(line.label);
            } catch {
              setCopied(null);
            }
          }}>{copied === line.label ? 'Copied' : 'Copy'}</button>
        </div>
      ))}
      <button type="button" className="primary" data-testid="shown-once-done" onClick={onDone}>I have copied it</button>
    </section>
  );
}
