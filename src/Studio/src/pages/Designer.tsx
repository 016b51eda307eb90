import {
  applyEdgeChanges, applyNodeChanges, Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useReactFlow, useUpdateNodeInternals,
  type Connection, type EdgeChange, type NodeChange, type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toApiError } from '../api/problem';
import type { ChannelConnection, ChannelTypeDescriptor, FlowDecision, FlowProblem, FlowTrigger, FlowVariable, TestRun } from '../api/types';
import { nodeTypes } from '../components/ActivityNodeView';
import { OutcomeConnections } from '../components/OutcomeConnections';
import { ErrorBanner } from '../components/ErrorBanner';
import { FlowSettings } from '../components/FlowSettings';
import { dragMime, NodePicker, Palette } from '../components/Palette';
import { Simulator } from '../components/Simulator';
import { VariablesEditor } from '../components/VariablesEditor';
import { VersionHistory } from '../components/VersionHistory';
import { useStudio } from '../context';
import { FlowReviewStats } from '../components/FlowReviewStats';
import { DecisionEditor } from '../forms/DecisionEditor';
import { PropertyPanel } from '../forms/PropertyPanel';
import { copySelection, pasteFragment, type Fragment } from '../graph/clipboard';
import { autoLayout } from '../graph/layout';
import {
  defaultInputs, edgeId, makeNodeData, newNodeId, outcomesFor, pruneDanglingEdges, toCanvas, toGraph, manualTrigger,
  type ActivityNode, type FlowConnection,
} from '../graph/mapping';
import { applyEdgeOverlay, applyNodeOverlay, problemsByNode } from '../graph/overlay';
import { FunnelPanel } from '../components/FunnelPanel';
import { applyEdgeFunnel, applyNodeFunnel, funnelMarks, type FlowFunnel, type FunnelMarks } from '../reports/funnel';
import { DesignerToolbar } from '../designer/DesignerToolbar';
import { ProblemsPanel } from '../designer/ProblemsPanel';
import { useCanvasHistory } from '../designer/useCanvasHistory';
import { useDesignerShortcuts } from '../designer/useDesignerShortcuts';
import { useFlowDraft } from '../designer/useFlowDraft';
import { TriggerEditor } from '../triggers/TriggerEditor';

interface Snapshot { nodes: ActivityNode[]; edges: FlowConnection[]; variables: FlowVariable[]; trigger: FlowTrigger }
type Tab = 'properties' | 'trigger' | 'variables' | 'problems' | 'versions' | 'simulator' | 'funnel' | 'reviews' | 'settings';
const tabs: Tab[] = ['properties', 'trigger', 'variables', 'problems', 'versions', 'simulator', 'funnel', 'reviews', 'settings'];

export function Designer({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <DesignerCanvas flowId={flowId} />
    </ReactFlowProvider>
  );
}

function DesignerCanvas({ flowId }: { flowId: string }) {
  const { api, readOnly, descriptors, descriptorIndex, teams, members, timeZone } = useStudio();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const updateNodeInternals = useUpdateNodeInternals();
  const nodesInitialized = useNodesInitialized();
  const [needsFit, setNeedsFit] = useState(false);
  const [nodes, setNodes] = useState<ActivityNode[]>([]);
  const [edges, setEdges] = useState<FlowConnection[]>([]);
  const [variables, setVariables] = useState<FlowVariable[]>([]);
  const [trigger, setTrigger] = useState<FlowTrigger>(manualTrigger);
  const [connections, setConnections] = useState<ChannelConnection[]>([]);
  const [channelTypes, setChannelTypes] = useState<ChannelTypeDescriptor[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [problems, setProblems] = useState<FlowProblem[] | null>(null);
  const [run, setRun] = useState<{ path: string[]; current: string | null }>({ path: [], current: null });
  const [funnel, setFunnel] = useState<FunnelMarks | null>(null);
  const onFunnel = useCallback((f: FlowFunnel | null) => setFunnel(f ? funnelMarks(f) : null), []);
  const [tab, setTab] = useState<Tab>('properties');
  const [picker, setPicker] = useState<{ x: number; y: number; at: { x: number; y: number }; source: string; port: string } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const clipboard = useRef<Fragment | null>(null);
  // The start is not drawn; kept as loaded so saving does not drop it (the trigger has its own panel).
  const start = useRef<string | null>(null);
  const latest = useRef<Snapshot>({ nodes, edges, variables, trigger });
  latest.current = { nodes, edges, variables, trigger };
  const history = useCanvasHistory(latest);

  const draft = useFlowDraft({
    api, flowId, readOnly,
    onLoad: detail => {
      const canvas = toCanvas(detail.graph, descriptorIndex);
      start.current = canvas.extras.start;
      setTrigger(canvas.extras.trigger);
      setNodes(canvas.nodes);
      setEdges(canvas.edges);
      setVariables(canvas.variables);
      setNeedsFit(canvas.nodes.length > 0);
    },
    graph: () => toGraph(latest.current.nodes, latest.current.edges, latest.current.variables, { trigger: latest.current.trigger, start: start.current }),
  });
  const { flow, setFlow, error, setError, saving, dirty, markChanged, save, saveIfDirty } = draft;

  const record = useCallback(() => {
    history.record();
    markChanged();
  }, [history, markChanged]);

  // Pickers of the trigger editor; an auditor (who may not list connections) still reads the trigger.
  useEffect(() => {
    let cancelled = false;
    api.channels().then(c => !cancelled && setConnections(c)).catch(() => undefined);
    api.channelTypes().then(t => !cancelled && setChannelTypes(t)).catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [api]);

  const changeTrigger = useCallback((next: FlowTrigger, field: string) => {
    history.record(`trigger/${field}`);
    latest.current = { ...latest.current, trigger: next };
    setTrigger(next);
    markChanged();
  }, [history, markChanged]);

  // Fit once, after the loaded nodes are measured; never again on its own, so a drop does not move the view.
  useEffect(() => {
    if (!needsFit || !nodesInitialized) return;
    // React Flow applies the fit on a later frame; the canvas counts as ready once it has.
    fitView({ padding: 0.2, maxZoom: 1 }).finally(() => setNeedsFit(false));
  }, [needsFit, nodesInitialized, fitView]);

  useEffect(() => {
    const overlay = { problems: problemsByNode(problems ?? []), path: run.path, current: run.current };
    setNodes(ns => applyNodeOverlay(ns, overlay));
    setEdges(es => applyEdgeOverlay(es, run.path));
  }, [problems, run, nodes.length, edges.length]);

  useEffect(() => {
    setNodes(ns => applyNodeFunnel(ns, funnel));
    setEdges(es => applyEdgeFunnel(es, funnel));
  }, [funnel, nodes.length, edges.length]);

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
    history.record(`${nodeId}/${name}`);
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
  }, [descriptorIndex, history, markChanged, updateNodeInternals]);

  const updateDecision = useCallback((nodeId: string, decision: FlowDecision | undefined) => {
    history.record(`${nodeId}/decision`);
    markChanged();
    const next = latest.current.nodes.map(n => {
      if (n.id !== nodeId) return n;
      const data = { ...n.data };
      if (decision) data.decision = decision;
      else delete data.decision;
      return { ...n, data };
    });
    latest.current = { ...latest.current, nodes: next };
    setNodes(next);
  }, [history, markChanged]);

  const restore = useCallback((snapshot: Snapshot | null) => {
    if (!snapshot) return;
    setNodes(snapshot.nodes);
    setEdges(snapshot.edges);
    setVariables(snapshot.variables);
    setTrigger(snapshot.trigger);
    markChanged();
  }, [markChanged]);

  const undo = useCallback(() => restore(history.undo()), [history, restore]);
  const redo = useCallback(() => restore(history.redo()), [history, restore]);
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

  useDesignerShortcuts({ save: () => save().catch(() => undefined), undo, redo, copy, paste }, readOnly);

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
  const triggerErrors = useMemo(() => {
    const map: Record<string, string> = {};
    for (const p of problems ?? []) if (!p.nodeId && p.field?.startsWith('trigger.')) map[p.field] = p.message;
    return map;
  }, [problems]);

  return (
    <main className="designer">
      <DesignerToolbar flowId={flowId} flow={flow} readOnly={readOnly} hasSelection={selected.length > 0}
        saveState={readOnly ? 'Read-only' : saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved'}
        onUndo={undo} onRedo={redo} onCopy={copy} onPaste={paste} onDelete={deleteSelected} onLayout={layout}
        onFit={() => fitView({ padding: 0.2, duration: 200 })} onSave={() => save().catch(() => undefined)}
        onValidate={validate} onPublish={publish} onRetract={retract} />
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
            {tabs.map(t => (
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
                <DecisionEditor key={`${single.id}-decision`} nodeId={single.id} decision={single.data.decision} readOnly={readOnly}
                  onChange={decision => updateDecision(single.id, decision)} serverError={serverErrors['decision.explanation']} />
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
            {tab === 'trigger' && (
              <TriggerEditor key={flow?.id ?? 'loading'} trigger={trigger} onChange={changeTrigger} readOnly={readOnly} serverErrors={triggerErrors}
                connections={connections} channelTypes={channelTypes} priority={flow?.priority} timeZone={timeZone}
                onPriority={async priority => {
                  try {
                    setFlow(await api.updateFlow(flowId, { priority }));
                  } catch (e) {
                    const problem = toApiError(e);
                    throw new Error(problem.fieldErrors.priority?.join(' ') ?? problem.detail ?? problem.title);
                  }
                }} />
            )}
            {tab === 'variables' && (
              <VariablesEditor variables={variables} readOnly={readOnly} onChange={v => {
                history.record('variables');
                setVariables(v);
                markChanged();
              }} />
            )}
            {tab === 'reviews' && <FlowReviewStats flowId={flowId} />}
            {/* Kept mounted once opened, so the overlay stays on the canvas while other panels are used. */}
            {(tab === 'funnel' || funnel !== null) && flow && (
              <div hidden={tab !== 'funnel'}>
                <FunnelPanel flowId={flowId} publishedVersion={flow.publishedVersion} onFunnel={onFunnel} />
              </div>
            )}
            {tab === 'problems' && <ProblemsPanel problems={problems} onFocusNode={focusNode} onOpenTrigger={() => setTab('trigger')} />}
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

