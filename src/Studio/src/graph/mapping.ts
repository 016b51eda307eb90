import type { Edge, Node } from '@xyflow/react';
import type { ActivityDescriptor, FlowDecision, FlowEdge, FlowGraph, FlowNode, FlowTrigger, FlowVariable } from '../api/types';

export interface ActivityNodeData extends Record<string, unknown> {
  activityType: string;
  typeVersion: number;
  inputs: Record<string, unknown>;
  label: string;
  category: string;
  icon: string | null;
  outcomes: string[];
  /** Messages from the last validation or publish attempt that name this node. */
  problems: string[];
  /** Taken by the simulated or inspected run. */
  onPath: boolean;
  /** Where that run is now. */
  current: boolean;
  /** Set when the descriptor of this activity is unknown to the server. */
  unknown: boolean;
  /** Marked by the admin as a significant decision customers may contest, with its explanation. */
  decision?: FlowDecision;
  /** The step a review case contests. */
  contested?: boolean;
  /** The funnel overlay: runs that reached the node and stopped there in the chosen period. */
  funnel?: { reached: number; stopped: number };
}

export type ActivityNode = Node<ActivityNodeData, 'activity'>;
export type FlowConnection = Edge;

export type DescriptorIndex = ReadonlyMap<string, ActivityDescriptor>;

export function indexDescriptors(descriptors: ActivityDescriptor[]): DescriptorIndex {
  return new Map(descriptors.map(d => [d.type, d]));
}

/** The outcome name a choice or case item stands for: strings as they are, objects by their name. */
export function outcomeNameOf(item: unknown): string | null {
  if (typeof item === 'string') return item.trim() || null;
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const key of ['name', 'value', 'title', 'label']) {
      const v = o[key];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
  }
  return null;
}

/**
 * The ports of a node as the engine computes them: with a dynamic input (choices, cases) that has items, one
 * port per item plus the descriptor's extras (`invalid`, `default`); otherwise the static outcomes. A question
 * offers its choices as ports only when it expects a choice, as the engine does.
 */
export function outcomesFor(descriptor: ActivityDescriptor | undefined, inputs: Record<string, unknown>): string[] {
  if (!descriptor) return [];
  const dynamic = descriptor.dynamicOutcomes;
  if (dynamic) {
    const items = inputs[dynamic.fromInput];
    const expectsItems = !descriptor.inputs.some(i => i.name === 'validation') || inputs.validation === 'choice';
    const names = Array.isArray(items) && expectsItems ? items.map(outcomeNameOf).filter((n): n is string => !!n) : [];
    if (names.length > 0) return [...new Set([...names, ...dynamic.extra])];
  }
  return [...new Set(descriptor.outcomes.filter(o => portIsOn(descriptor.type, o, inputs)))];
}

// Ports the engine opens only when a switch input is on; the descriptor lists them unconditionally.
const switchedPorts: Record<string, Record<string, string>> = { HandOff: { released: 'resumeOnRelease' } };

function portIsOn(type: string, outcome: string, inputs: Record<string, unknown>): boolean {
  const input = switchedPorts[type]?.[outcome];
  return !input || inputs[input] === true;
}

export function edgeId(source: string, sourcePort: string, target: string): string {
  return `${source}:${sourcePort}->${target}`;
}

export function makeNodeData(descriptor: ActivityDescriptor | undefined, type: string, typeVersion: number, inputs: Record<string, unknown>, usedPorts: string[] = []): ActivityNodeData {
  const outcomes = descriptor ? outcomesFor(descriptor, inputs) : [...new Set(usedPorts)];
  return {
    activityType: type,
    typeVersion,
    inputs,
    label: descriptor?.displayName ?? type,
    category: descriptor?.category ?? 'Unknown',
    icon: descriptor?.icon ?? null,
    outcomes,
    problems: [],
    onPath: false,
    current: false,
    unknown: !descriptor,
  };
}

/** What the canvas does not draw but the flow needs: its trigger and first node. */
export interface GraphExtras { trigger: FlowTrigger; start: string | null }

export const manualTrigger: FlowTrigger = { type: 'Manual', inputs: {} };

export function toCanvas(graph: FlowGraph | null | undefined, descriptors: DescriptorIndex): { nodes: ActivityNode[]; edges: FlowConnection[]; variables: FlowVariable[]; extras: GraphExtras } {
  const g = graph ?? { nodes: [], edges: [], variables: [] };
  const edgesOf = new Map<string, string[]>();
  for (const e of g.edges ?? []) edgesOf.set(e.source, [...(edgesOf.get(e.source) ?? []), e.sourcePort]);
  const nodes = (g.nodes ?? []).map<ActivityNode>(n => ({
    id: n.id,
    type: 'activity',
    position: { x: n.position?.x ?? 0, y: n.position?.y ?? 0 },
    data: {
      ...makeNodeData(descriptors.get(n.type), n.type, n.typeVersion, { ...(n.inputs ?? {}) }, edgesOf.get(n.id)),
      ...(n.decision?.significant ? { decision: { ...n.decision } } : {}),
    },
  }));
  const edges = (g.edges ?? []).map<FlowConnection>(e => ({
    id: edgeId(e.source, e.sourcePort, e.target),
    source: e.source,
    sourceHandle: e.sourcePort,
    target: e.target,
  }));
  const extras = { trigger: g.trigger ?? manualTrigger, start: g.start ?? null };
  return { nodes, edges, variables: (g.variables ?? []).map(v => ({ ...v })), extras };
}

/** The start as loaded while that node exists; else the first node no connection leads to (else the first node). */
export function startOf(nodes: readonly { id: string }[], edges: readonly { target: string }[], start: string | null): string | null {
  if (start && nodes.some(n => n.id === start)) return start;
  const targets = new Set(edges.map(e => e.target));
  return (nodes.find(n => !targets.has(n.id)) ?? nodes[0])?.id ?? null;
}

export function toGraph(nodes: readonly ActivityNode[], edges: readonly FlowConnection[], variables: readonly FlowVariable[], extras?: GraphExtras): FlowGraph {
  const flowNodes: FlowNode[] = nodes.map(n => ({
    id: n.id,
    type: n.data.activityType,
    typeVersion: n.data.typeVersion,
    inputs: n.data.inputs,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    ...(n.data.decision?.significant ? { decision: { significant: true, explanation: n.data.decision.explanation ?? '' } } : {}),
  }));
  const flowEdges: FlowEdge[] = edges
    .filter(e => e.sourceHandle)
    .map(e => ({ source: e.source, sourcePort: e.sourceHandle as string, target: e.target }));
  return {
    nodes: flowNodes, edges: flowEdges, variables: variables.map(v => ({ ...v })),
    trigger: extras?.trigger ?? manualTrigger, start: startOf(flowNodes, flowEdges, extras?.start ?? null),
  };
}

/** Drops connections whose port disappeared (a choice was removed) or whose ends were deleted. */
export function pruneDanglingEdges(nodes: readonly ActivityNode[], edges: readonly FlowConnection[]): FlowConnection[] {
  const ports = new Map(nodes.map(n => [n.id, new Set(n.data.outcomes)]));
  return edges.filter(e => {
    const out = ports.get(e.source);
    return !!out && ports.has(e.target) && !!e.sourceHandle && out.has(e.sourceHandle);
  });
}

/** Default inputs of a new activity, from its descriptor. */
export function defaultInputs(descriptor: ActivityDescriptor): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const input of descriptor.inputs) {
    if (input.defaultValue !== undefined && input.defaultValue !== null) inputs[input.name] = structuredClone(input.defaultValue);
  }
  return inputs;
}

/** A node id unique within the graph, readable in journals: `sendMessage3`. */
export function newNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.split(/[.:/]/).pop() ?? 'node').replace(/[^A-Za-z0-9]/g, '') || 'node';
  const stem = base[0].toLowerCase() + base.slice(1);
  for (let i = 1; ; i++) {
    const id = `${stem}${i}`;
    if (!taken.has(id)) return id;
  }
}
