import type { ChannelConnection, FlowSummary } from '../api/types';
import { firstRunState, menuTemplate } from './FirstRun';

const connection = (lastInboundAt: string | null): ChannelConnection => ({
  id: 'c1', type: 'telegram', name: 'Bot', mode: 'webhook', baseUrl: null, callbackUrl: null, createdAt: '2026-01-01T00:00:00Z',
  health: { lastInboundAt, lastOutboundAt: null, lastError: null, lastErrorAt: null, pendingOutbox: 0, failedOutbox: 0, failedEnvelopes: 0 },
});
const flow = (publishedVersion: number | null): FlowSummary => ({
  id: 'f1', name: 'Menu', priority: 0, publishedVersion, hasUnpublishedChanges: false, runningInstances: 0, updatedAt: '2026-01-01T00:00:00Z',
});

describe('first run', () => {
  it('Ticks each step only when it really happened', () => {
    expect(firstRunState([], [])).toEqual({ connected: false, published: false, received: false });
    expect(firstRunState([connection(null)], [flow(null)])).toEqual({ connected: true, published: false, received: false });
    expect(firstRunState([connection('2026-01-02T00:00:00Z')], [flow(1)])).toEqual({ connected: true, published: true, received: true });
  });

  it("Routes the menu template to the workspace's team", () => {
    const document = menuTemplate('team-42');
    expect(document.format).toBe('oneinbox-flow/1');
    expect(document.graph.nodes.find(n => n.type === 'AssignToTeam')?.inputs.teamId).toBe('team-42');
    expect(document.graph.trigger).toEqual({ type: 'MessageReceived', inputs: { firstMessageOnly: true } });
  });
});
