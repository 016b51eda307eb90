import type { FlowDetail } from '../api/types';
import { linkClick } from '../router';

export interface DesignerToolbarProps {
  flowId: string;
  flow: FlowDetail | null;
  readOnly: boolean;
  saveState: string;
  hasSelection: boolean;
  onUndo(): void;
  onRedo(): void;
  onCopy(): void;
  onPaste(): void;
  onDelete(): void;
  onLayout(): void;
  onFit(): void;
  onSave(): void;
  onValidate(): void;
  onPublish(): void;
  onRetract(): void;
}

/** The designer's bar: where the flow stands, editing commands, and the way to publishing. */
export function DesignerToolbar(p: DesignerToolbarProps) {
  return (
    <div className="designer-bar" role="toolbar" aria-label="Designer">
      <a href="/studio/" onClick={linkClick('/studio/')} aria-label="Back to flows">←</a>
      <h1>{p.flow?.name ?? 'Loading…'}</h1>
      <span className="badge" data-testid="save-state">{p.saveState}</span>
      {p.flow && <span className="muted">{p.flow.publishedVersion === null ? 'Draft' : `Live: v${p.flow.publishedVersion}`}</span>}
      <span className="spacer" />
      {!p.readOnly && (
        <>
          <button type="button" onClick={p.onUndo} title="Undo (Ctrl+Z)">Undo</button>
          <button type="button" onClick={p.onRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
          <button type="button" onClick={p.onCopy} title="Copy (Ctrl+C)">Copy</button>
          <button type="button" onClick={p.onPaste} title="Paste (Ctrl+V)">Paste</button>
          <button type="button" onClick={p.onDelete} title="Delete (Delete)" disabled={!p.hasSelection}>Delete</button>
          <button type="button" onClick={p.onLayout} data-testid="auto-layout">Auto-layout</button>
        </>
      )}
      <button type="button" onClick={p.onFit}>Fit view</button>
      {!p.readOnly && (
        <>
          <button type="button" data-testid="save" onClick={p.onSave} title="Save draft (Ctrl+S)">Save</button>
          <button type="button" data-testid="validate" onClick={p.onValidate}>Validate</button>
          <button type="button" className="primary" data-testid="publish" onClick={p.onPublish}>Publish</button>
          {p.flow?.publishedVersion !== null && <button type="button" onClick={p.onRetract}>Retract</button>}
        </>
      )}
      <a href={`/studio/flows/${p.flowId}/instances`} onClick={linkClick(`/studio/flows/${p.flowId}/instances`)}>Instances</a>
    </div>
  );
}
