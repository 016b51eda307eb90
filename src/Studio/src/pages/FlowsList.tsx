import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { ChannelConnection, FlowExport, FlowSummary, FlowTrigger } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useStudio } from '../context';
import { linkClick, navigate } from '../router';
import { describeTrigger, newFlowTrigger } from '../triggers/trigger';

export function downloadJson(fileName: string, value: unknown): void {
  saveBlob(fileName, new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
}

/** Hands a file to the browser to save. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export function statusOf(flow: FlowSummary): string {
  if (flow.publishedVersion === null) return 'Draft';
  return flow.hasUnpublishedChanges ? `Published v${flow.publishedVersion}, unpublished changes` : `Published v${flow.publishedVersion}`;
}

export function FlowsList() {
  const { api, readOnly } = useStudio();
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [triggers, setTriggers] = useState<Record<string, FlowTrigger | null>>({});
  const [connections, setConnections] = useState<ChannelConnection[]>([]);

  // Steps that reviewers overturn more often than the workspace accepts: the admin fixes those first.
  const [flagged, setFlagged] = useState<Map<string, string[]>>(new Map());

  useEffect(() => {
    api.channels().then(setConnections).catch(() => undefined);
    api.reviewStats().then(stats => {
      const byFlow = new Map<string, string[]>();
      for (const s of stats.filter(x => x.flagged)) byFlow.set(s.flowId, [...(byFlow.get(s.flowId) ?? []), `${s.nodeId ?? 'run'} (v${s.version})`]);
      setFlagged(byFlow);
    }).catch(() => undefined);
  }, [api]);

  // The list carries no graphs; the drafts' triggers come one flow at a time, a few at once.
  useEffect(() => {
    let cancelled = false;
    const missing = flows.filter(f => !(f.id in triggers)).map(f => f.id);
    (async () => {
      for (let i = 0; i < missing.length && !cancelled; i += 6) {
        const batch = await Promise.all(missing.slice(i, i + 6).map(id =>
          api.getFlow(id).then(d => [id, d.graph?.trigger ?? null] as const).catch(() => [id, null] as const)));
        if (!cancelled) setTriggers(t => ({ ...t, ...Object.fromEntries(batch) }));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, flows, triggers]);

  const load = useCallback(async (more?: string | null) => {
    try {
      const page = await api.listFlows(more);
      setFlows(previous => (more ? [...previous, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    load();
  }, [load]);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const create = (e: React.FormEvent) => {
    e.preventDefault();
    run(async () => {
      const flow = await api.createFlow(newName.trim(), undefined, { nodes: [], edges: [], variables: [], trigger: newFlowTrigger, start: null });
      setNewName('');
      navigate(`/studio/flows/${flow.id}`);
    });
  };

  const importFile = async (file: File) => {
    await run(async () => {
      let document: FlowExport;
      try {
        document = JSON.parse(await file.text()) as FlowExport;
      } catch {
        throw new Error(`${file.name} is not a JSON file.`);
      }
      await api.importFlow(document);
    });
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <main className="page">
      <h1>Flows</h1>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {!readOnly && flows.length === 0 && !cursor && (
        <p className="notice">New here? <a href="/studio/start" onClick={linkClick('/studio/start')} data-testid="get-started">Get started in three steps</a>.</p>
      )}
      {!readOnly && (
        <div className="toolbar">
          <form onSubmit={create} className="inline-form">
            <label htmlFor="new-flow-name">New flow name</label>
            <input id="new-flow-name" data-testid="new-flow-name" value={newName} onChange={e => setNewName(e.target.value)} required maxLength={200} />
            <button type="submit" className="primary" data-testid="create-flow" disabled={!newName.trim()}>Create flow</button>
          </form>
          <label className="button">
            Import JSON file
            <input ref={fileInput} type="file" accept="application/json,.json" data-testid="import-flow" className="visually-hidden"
              onChange={e => e.target.files?.[0] && importFile(e.target.files[0])} />
          </label>
        </div>
      )}
      <table className="table" aria-label="Flows">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Starts</th><th scope="col">Status</th><th scope="col">Running</th><th scope="col">Updated</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {flows.length === 0 && <tr><td colSpan={6} className="muted">No flows yet.</td></tr>}
          {flows.map(flow => (
            <tr key={flow.id} data-testid={`flow-row-${flow.id}`}>
              <td>
                {renaming?.id === flow.id ? (
                  <form className="inline-form" onSubmit={e => {
                    e.preventDefault();
                    run(async () => {
                      await api.updateFlow(flow.id, { name: renaming.name.trim() });
                      setRenaming(null);
                    });
                  }}>
                    <input aria-label={`New name for ${flow.name}`} autoFocus value={renaming.name} onChange={e => setRenaming({ id: flow.id, name: e.target.value })}
                      onKeyDown={e => e.key === 'Escape' && setRenaming(null)} />
                    <button type="submit">Save</button>
                    <button type="button" onClick={() => setRenaming(null)}>Cancel</button>
                  </form>
                ) : (
                  <a href={`/studio/flows/${flow.id}`} onClick={linkClick(`/studio/flows/${flow.id}`)}>{flow.name}</a>
                )}
              </td>
              <td className="trigger-summary" data-testid={`flow-trigger-${flow.id}`}>
                {flow.id in triggers ? describeTrigger(triggers[flow.id], connections) : '…'}
              </td>
              <td>
                <span className={`badge ${flow.publishedVersion === null ? 'draft' : 'published'}`}>{statusOf(flow)}</span>
                {flagged.has(flow.id) && (
                  <span className="badge flagged" data-testid={`flagged-${flow.id}`} title={`Often overturned in human review: ${flagged.get(flow.id)!.join(', ')}`}>often overturned</span>
                )}
              </td>
              <td>
                <a href={`/studio/flows/${flow.id}/instances`} onClick={linkClick(`/studio/flows/${flow.id}/instances`)}
                  aria-label={`${flow.runningInstances} running instances of ${flow.name}`}>{flow.runningInstances}</a>
              </td>
              <td>{new Date(flow.updatedAt).toLocaleString()}</td>
              <td className="actions">
                {!readOnly && <button type="button" onClick={() => setRenaming({ id: flow.id, name: flow.name })} aria-label={`Rename ${flow.name}`}>Rename</button>}
                {!readOnly && <button type="button" onClick={() => run(() => api.duplicateFlow(flow.id))} aria-label={`Duplicate ${flow.name}`}>Duplicate</button>}
                <button type="button" aria-label={`Export ${flow.name}`} onClick={() => run(async () => {
                  const document = await api.exportFlow(flow.id);
                  downloadJson(`${flow.name.replace(/[^A-Za-z0-9-_]+/g, '-')}.flow.json`, document);
                })}>Export</button>
                {!readOnly && <button type="button" className="danger" aria-label={`Delete ${flow.name}`} onClick={() => {
                  if (window.confirm(`Delete the flow "${flow.name}"? Running instances finish on their version.`)) run(() => api.deleteFlow(flow.id));
                }}>Delete</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && <button type="button" onClick={() => load(cursor)}>Load more</button>}
    </main>
  );
}
