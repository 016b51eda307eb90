import type { ReactNode } from 'react';

/** A labelled control with its hint and its error (from the browser's check or the server's Problem Details). */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | null; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`} className="hint">{hint}</small>}
      {error && <small id={`${id}-error`} className="error" role="alert" data-testid={`${id}-error`}>{error}</small>}
    </div>
  );
}

/** The aria attributes that tie a control to its hint and error. */
export function describe(id: string, error?: string | null, hint?: boolean) {
  const by = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': !!error, 'aria-describedby': by || undefined };
}
