import {
  applyEdgeChanges, applyNodeChanges, Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useReactFlow, useUpdateNodeInternals,
  type Connection, type EdgeChange, type NodeChange, type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api/problem';
import type { FlowDetail, FlowProblem, FlowVariable, TestRun } from '../api/types';
import { nodeTypes } from '../components/ActivityNodeView';
import { OutcomeConnections } from '../components/OutcomeConnections';
import { ErrorBanner } from '../components/ErrorBanner';
import { FlowSettings } from '../components/FlowSettings';
import { dragMime, NodePicker, Palette } from '../components/Palette';
import { Simulator } from '../components/Simulator';
import { VariablesEditor } from '../components/VariablesEditor';
import { VersionHistory } from '../components/VersionHistory';
import { useStudio } from '../context';
import { PropertyPanel } from '../forms/PropertyPanel';
import { copySelection, pasteFragment, type Fragment } from '../graph/clipboard';
import { History } from '../graph/history';
import { autoLayout } from '../graph/layout';
import {
  defaultInputs, edgeId, makeNodeData, newNodeId, outcomesFor, pruneDanglingEdges, toCanvas, toGraph, manualTrigger, type GraphExtras,
  type ActivityNode, type FlowConnection,
} from '../graph/mapping';
import { applyEdgeOverlay, applyNodeOverlay, problemsByNode } from '../graph/overlay';
import { linkClick } from '../router';

interface Snapshot { nodes: ActivityNode[]; edges: FlowConnection[]; variables: FlowVariable[] }
type Tab = 'properties' | 'variables' | 'problems' | 'versions' | 'simulator' | 'settings';

const autosaveDelayMs = 2500;

export function Designer({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <DesignerCanvas flowId={flowId} />
    </ReactFlowProvider>
  );
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function DesignerCanvas({ flowId }: { flowId: string }) {
  const { api, readOnly, descriptors, descriptorIndex, teams, members } = useStudio();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const updateNodeInternals = useUpdateNodeInternals();
  const nodesInitialized = useNodesInitialized();
  const [needsFit, setNeedsFit] = useState(false);
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [nodes, setNodes] = useState<ActivityNode[]>([]);
  const [edges, setEdges] = useState<FlowConnection[]>([]);
  const [variables, setVariables] = useState<FlowVariable[]>([]);
  const [changeTick, setChangeTick] = useState(0);
  const [savedTick, setSavedTick] = useState(0);
  const [failedTick, setFailedTick] = useState(-1);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [problems, setProblems] = useState<FlowProblem[] | null>(null);
  const [run, setRun] = useState<{ path: string[]; current: string | null }>({ path: [], current: null });
  const [tab, setTab] = useState<Tab>('properties');
  const [picker, setPicker] = useState<{ x: number; y: number; at: { x: number; y: number }; source: string; port: string } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const history = useRef(new History<Snapshot>());
  const clipboard = useRef<Fragment | null>(null);
  const lastEdit = useRef<string | null>(null);
  // Trigger and start are not drawn; kept as loaded so saving does not drop them.
  const extras = useRef<GraphExtras>({ trigger: manualTrigger, start: null });
  const latest = useRef<Snapshot>({ nodes, edges, variables });
  latest.current = { nodes, edges, variables };
  const tick = useRef(0);
  const dirty = changeTick !== savedTick;

  const markChanged = useCallback(() => {
    tick.current += 1;
    setChangeTick(tick.current);
  }, []);

  const record = useCallback(() => {
    history.current.record(latest.current);
    lastEdit.current = null;
    markChanged();
  }, [markChanged]);

  useEffect(() => {
    let cancelled = false;
    api.getFlow(flowId).then(detail => {
      if (cancelled) return;
      const canvas = toCanvas(detail.graph, descriptorIndex);
      extras.current = canvas.extras;
      setFlow(detail);
      setNodes(canvas.nodes);
      setEdges(canvas.edges);
      setVariables(canvas.variables);
      setNeedsFit(canvas.nodes.length > 0);
    }).catch(e => !cancelled && setError(toApiError(e)));
    return () => {
      cancelled = true;
    };
  }, [api, flowId, descriptorIndex]);

  // Fit once, after the loaded nodes are measured; never again on its own, so a drop does not move the view.
  useEffect(() => {
    if (!needsFit || !nodesInitialized) return;
    // React Flow applies the fit on a later frame; the canvas counts as ready once it has.
    fitView({ padding: 0.2, maxZoom: 1 }).finally(() => setNeedsFit(false));
  }, [needsFit, nodesInitialized, fitView]);

  const save = useCallback(async () => {
    if (readOnly) return;
    const at = tick.current;
    setSaving(true);
    try {
      const { nodes: n, edges: e, variables: v } = latest.current;
      const detail = await api.saveDraft(flowId, toGraph(n, e, v, extras.current));
      setFlow(detail);
      setSavedTick(at);
      setError(null);
    } catch (e) {
      setError(toApiError(e));
      setFailedTick(at);
      throw e;
    } finally {
      setSaving(false);
    }
  }, [api, flowId, readOnly]);

  const saveIfDirty = useCallback(async () => {
    if (tick.current !== savedTick) await save();
  }, [save, savedTick]);

  // Autosave: a pause in editing saves the draft (an invalid draft too). After a failure it waits for the
  // next change instead of hammering the server with the same request.
  useEffect(() => {
    if (!dirty || readOnly || saving || changeTick === failedTick) return;
    const timer = setTimeout(() => save().catch(() => undefined), autosaveDelayMs);
    return () => clearTimeout(timer);
  }, [dirty, changeTick, failedTick, readOnly, saving, save]);

  useEffect(() => {
    const overlay = { problems: problemsByNode(problems ?? []), path: run.path, current: run.current };
    setNodes(ns => applyNodeOverlay(ns, overlay));
    setEdges(es => applyEdgeOverlay(es, run.path));
  }, [problems, run, nodes.length, edges.length]);

  const onNodesChange = useCallback((changes: NodeChange<ActivityNode>[]) => {
    setNodes(ns => applyNodeChanges(changes, ns));
    if (changes.some(c => c.type === 'position' || c.type === 'remove' || c.type === 'add')) markChanged();
  }, [markChanged]);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowConnection>[]) => {
    setEdges(es => applyEdgeChanges(changes, es));
    if (changes.some(c => c.type === 'remove' || c.type === 'add')) markChanged();
  }, [markChanged]);

  const connect = useCallback((source: string, port: string, target: string) => {
    // One outcome leads to one next step: a new connection from a port replaces the old one.
    setEdges(es => [
      ...es.filter(e => !(e.source === source && e.sourceHandle === port)),
      { id: edgeId(source, port, target), source, sourceHandle: port, target },
    ]);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle) return;
    record();
    connect(c.source, c.sourceHandle, c.target);
  }, [connect, record]);

  const addActivity = useCallback((type: string, position?: { x: number; y: number }, from?: { source: string; port: string }) => {
    const descriptor = descriptorIndex.get(type);
    if (!descriptor || readOnly) return;
    record();
    const taken = new Set(latest.current.nodes.map(n => n.id));
    const id = newNodeId(type, taken);
    const bounds = wrapper.current?.getBoundingClientRect();
    const at = position ?? screenToFlowPosition({
      x: (bounds?.left ?? 0) + (bounds?.width ?? 800) / 2 - 110 + (taken.size % 5) * 16,
      y: (bounds?.top ?? 0) + (bounds?.height ?? 600) / 2 - 40 + (taken.size % 5) * 16,
    });
    const node: ActivityNode = {
      id, type: 'activity', position: at, selected: true,
      data: makeNodeData(descriptor, type, descriptor.typeVersion, defaultInputs(descriptor)),
    };
    setNodes(ns => [...ns.map(n => (n.selected ? { ...n, selected: false } : n)), node]);
    if (from) connect(from.source, from.port, id);
    setTab('properties');
  }, [connect, descriptorIndex, readOnly, record, screenToFlowPosition]);

  const onConnectEnd: OnConnectEnd = useCallback((event, state) => {
    if (readOnly || state.isValid || !state.fromNode || !state.fromHandle?.id || state.fromHandle.type !== 'source') return;
    const point = 'changedTouches' in event ? event.changedTouches[0] : event;
    const bounds = wrapper.current?.getBoundingClientRect();
    setPicker({
      x: point.clientX - (bounds?.left ?? 0), y: point.clientY - (bounds?.top ?? 0),
      at: screenToFlowPosition({ x: point.clientX, y: point.clientY }),
      source: state.fromNode.id, port: state.fromHandle.id,
    });
  }, [readOnly, screenToFlowPosition]);

  const onDrop = useCallback((e: React.DragEvent) => {
    const type = e.dataTransfer.getData(dragMime);
    if (!type) return;
    e.preventDefault();
    addActivity(type, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  }, [addActivity, screenToFlowPosition]);

  const updateInput = useCallback((nodeId: string, name: string, value: unknown) => {
    // Typing into one field is one undo step, not one per keystroke.
    const key = `${nodeId}/${name}`;
    if (lastEdit.current !== key) {
      history.current.record(latest.current);
      lastEdit.current = key;
    }
    markChanged();
    const next = latest.current.nodes.map(n => {
      if (n.id !== nodeId) return n;
      const inputs = { ...n.data.inputs };
      if (value === undefined) delete inputs[name];
      else inputs[name] = value;
      return { ...n, data: { ...n.data, inputs, outcomes: outcomesFor(descriptorIndex.get(n.data.activityType), inputs) } };
    });
    const edgesLeft = pruneDanglingEdges(next, latest.current.edges);
    // Two edits before the next render must build on each other, not on the same stale nodes.
    latest.current = { ...latest.current, nodes: next, edges: edgesLeft };
    setNodes(next);
    setEdges(edgesLeft);
    requestAnimationFrame(() => updateNodeInternals(nodeId));
  }, [descriptorIndex, markChanged, updateNodeInternals]);

  const restore = useCallback((snapshot: Snapshot | null) => {
    if (!snapshot) return;
    lastEdit.current = null;
    setNodes(snapshot.nodes);
    setEdges(snapshot.edges);
    setVariables(snapshot.variables);
    markChanged();
  }, [markChanged]);

  const undo = useCallback(() => restore(history.current.undo(latest.current)), [restore]);
  const redo = useCallback(() => restore(history.current.redo(latest.current)), [restore]);
  const copy = useCallback(() => {
    clipboard.current = copySelection(latest.current.nodes, latest.current.edges) ?? clipboard.current;
  }, []);
  const paste = useCallback(() => {
    if (!clipboard.current || readOnly) return;
    record();
    const pasted = pasteFragment(clipboard.current, latest.current.nodes);
    clipboard.current = { nodes: pasted.nodes, edges: pasted.edges };
    setNodes(ns => [...ns.map(n => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes]);
    setEdges(es => [...es, ...pasted.edges]);
  }, [readOnly, record]);
  const deleteSelected = useCallback(() => {
    if (readOnly) return;
    const { nodes: ns, edges: es } = latest.current;
    const gone = new Set(ns.filter(n => n.selected).map(n => n.id));
    if (gone.size === 0 && !es.some(e => e.selected)) return;
    record();
    setNodes(ns.filter(n => !gone.has(n.id)));
    setEdges(es.filter(e => !e.selected && !gone.has(e.source) && !gone.has(e.target)));
  }, [readOnly, record]);
  const layout = useCallback(() => {
    record();
    setNodes(autoLayout(latest.current.nodes, latest.current.edges));
    requestAnimationFrame(() => fitView({ padding: 0.2 }));
  }, [fitView, record]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        save().catch(() => undefined);
        return;
      }
      if (isEditable(e.target) || readOnly || !mod) return;
      if (key === 'z' && !e.shiftKey) undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') redo();
      else if (key === 'c') copy();
      else if (key === 'v') paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copy, paste, readOnly, redo, save, undo]);

  const validate = async () => {
    try {
      await saveIfDirty();
      const result = await api.validateFlow(flowId);
      setProblems(result.problems);
      setNotice(result.valid ? 'The flow is valid.' : `${result.problems.length} problem(s) found.`);
      setTab('problems');
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const publish = async () => {
    try {
      await saveIfDirty();
      const { version } = await api.publishFlow(flowId);
      setProblems([]);
      setNotice(`Published version ${version}.`);
      setFlow(await api.getFlow(flowId));
    } catch (e) {
      const problem = toApiError(e);
      if (problem.problems.length > 0) {
        setProblems(problem.problems);
        setTab('problems');
      }
      setError(problem);
    }
  };

  const retract = async () => {
    try {
      await api.retractFlow(flowId);
      setNotice('Retracted: new conversations no longer start this flow; running ones finish.');
      setFlow(await api.getFlow(flowId));
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const focusNode = (nodeId: string) => {
    setNodes(ns => ns.map(n => (n.selected !== (n.id === nodeId) ? { ...n, selected: n.id === nodeId } : n)));
    fitView({ nodes: [{ id: nodeId }], padding: 1, duration: 200 });
    setTab('properties');
  };

  const onRun = useCallback((testRun: TestRun | null) => {
    setRun(testRun ? { path: testRun.path, current: testRun.status === 'waiting' ? testRun.path[testRun.path.length - 1] ?? null : null } : { path: [], current: null });
  }, []);

  const selected = useMemo(() => nodes.filter(n => n.selected), [nodes]);
  const single = selected.length === 1 ? selected[0] : null;
  const singleDescriptor = single ? descriptorIndex.get(single.data.activityType) : undefined;
  const serverErrors = useMemo(() => {
    const map: Record<string, string> = {};
    for (const p of problems ?? []) if (single && p.nodeId === single.id && p.field) map[p.field] = p.message;
    return map;
  }, [problems, single]);
  const flowProblems = problems ?? [];

  return (
    <main className="designer">
      <div className="designer-bar" role="toolbar" aria-label="Designer">
        <a href="/studio/" onClick={linkClick('/studio/')} aria-label="Back to flows">←</a>
        <h1>{flow?.name ?? 'Loading…'}</h1>
        <span className="badge" data-testid="save-state">{readOnly ? 'Read-only' : saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved'}</span>
        {flow && <span className="muted">{flow.publishedVersion === null ? 'Draft' : `Live: v${flow.publishedVersion}`}</span>}
        <span className="spacer" />
        {!readOnly && (
          <>
            <button type="button" onClick={undo} title="Undo (Ctrl+Z)">Undo</button>
            <button type="button" onClick={redo} title="Redo (Ctrl+Shift+Z)">Redo</button>
            <button type="button" onClick={copy} title="Copy (Ctrl+C)">Copy</button>
            <button type="button" onClick={paste} title="Paste (Ctrl+V)">Paste</button>
            <button type="button" onClick={deleteSelected} title="Delete (Delete)" disabled={selected.length === 0}>Delete</button>
            <button type="button" onClick={layout} data-testid="auto-layout">Auto-layout</button>
          </>
        )}
        <button type="button" onClick={() => fitView({ padding: 0.2, duration: 200 })}>Fit view</button>
        {!readOnly && (
          <>
            <button type="button" data-testid="save" onClick={() => save().catch(() => undefined)} title="Save draft (Ctrl+S)">Save</button>
            <button type="button" data-testid="validate" onClick={validate}>Validate</button>
            <button type="button" className="primary" data-testid="publish" onClick={publish}>Publish</button>
            {flow?.publishedVersion !== null && <button type="button" onClick={retract}>Retract</button>}
          </>
        )}
        <a href={`/studio/flows/${flowId}/instances`} onClick={linkClick(`/studio/flows/${flowId}/instances`)}>Instances</a>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {notice && <div className="notice" role="status" data-testid="notice">{notice} <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss message">×</button></div>}
      <div className="designer-body">
        {!readOnly && <Palette descriptors={descriptors} onAdd={type => addActivity(type)} />}
        <div className="canvas" ref={wrapper} onDragOver={e => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas"
          data-ready={flow !== null && !needsFit}>
          <ReactFlow<ActivityNode, FlowConnection>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            onBeforeDelete={async () => {
              if (readOnly) return false;
              record();
              return true;
            }}
            onNodeDragStart={() => record()}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            onlyRenderVisibleElements
            minZoom={0.1}
          >
            <Background />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable ariaLabel="Minimap" />
          </ReactFlow>
          {picker && (
            <NodePicker descriptors={descriptors} x={picker.x} y={picker.y} onClose={() => setPicker(null)}
              onPick={type => {
                addActivity(type, picker.at, { source: picker.source, port: picker.port });
                setPicker(null);
              }} />
          )}
        </div>
        <aside className="side-panel" aria-label="Details">
          <div role="tablist" aria-label="Panels" className="tabs">
            {(['properties', 'variables', 'problems', 'versions', 'simulator', 'settings'] as Tab[]).map(t => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
                {t[0].toUpperCase() + t.slice(1)}{t === 'problems' && flowProblems.length > 0 ? ` (${flowProblems.length})` : ''}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="tab-body">
            {tab === 'properties' && (single && singleDescriptor ? (
              <>
                <PropertyPanel key={single.id} descriptor={singleDescriptor} nodeId={single.id} inputs={single.data.inputs} readOnly={readOnly}
                  onChange={(name, value) => updateInput(single.id, name, value)} variables={variables} teams={teams} members={members} serverErrors={serverErrors} />
                <OutcomeConnections node={single} nodes={nodes} edges={edges} readOnly={readOnly} onChange={(port, target) => {
                  record();
                  if (target) connect(single.id, port, target);
                  else setEdges(es => es.filter(e => !(e.source === single.id && e.sourceHandle === port)));
                }} />
              </>
            ) : single ? (
              <p className="error">The activity type {single.data.activityType} is not known to this server.</p>
            ) : (
              <p className="muted">{selected.length > 1 ? `${selected.length} activities selected.` : 'Select an activity to edit its properties. Drag activities from the palette, or press Enter on one.'}</p>
            ))}
            {tab === 'variables' && (
              <VariablesEditor variables={variables} readOnly={readOnly} onChange={v => {
                if (lastEdit.current !== 'variables') {
                  history.current.record(latest.current);
                  lastEdit.current = 'variables';
                }
                setVariables(v);
                markChanged();
              }} />
            )}
            {tab === 'problems' && (
              <section aria-label="Problems">
                <h2>Problems</h2>
                {problems === null && <p className="muted">Validate to check the flow before publishing.</p>}
                {problems !== null && flowProblems.length === 0 && <p>No problems.</p>}
                <ul className="problems" data-testid="problems">
                  {flowProblems.map((p, i) => (
                    <li key={i}>
                      {p.nodeId ? <button type="button" className="link" onClick={() => focusNode(p.nodeId!)}>{p.nodeId}</button> : <strong>Flow</strong>}
                      {p.field && <code> {p.field}</code>}: {p.message}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {tab === 'versions' && flow && (
              <VersionHistory flowId={flowId} publishedVersion={flow.publishedVersion} onRolledBack={async () => {
                const detail = await api.getFlow(flowId);
                setFlow(detail);
                setNotice('Rolled back: the chosen version is published again as a new version.');
              }} />
            )}
            {tab === 'settings' && flow && (
              <FlowSettings key={flow.id} flow={flow} onSaved={detail => {
                setFlow(detail);
                setNotice('Settings saved.');
              }} />
            )}
            {/* Kept mounted so switching tabs does not end the conversation being simulated. */}
            <div hidden={tab !== 'simulator'}>
              <Simulator flowId={flowId} beforeStart={saveIfDirty} onRun={onRun} />
            </div>
          </div>
        </aside>
      </div>
    </main>
  );
}

