import { parseProblem } from './problem';
import type {
  ActivityDescriptor, CannedResponse, ChannelConnection, ChannelConnectionCreated, ChannelTypeDescriptor, CreatedIntegrationClient,
  CreatedInvitation, Envelope, FlowDetail, FlowExport, FlowGraph, FlowInstanceDetail, FlowInstanceSummary, FlowSummary, FlowVersion,
  AuditEvent, ChannelIdentity, ConsentRecord, Contact, IntegrationClient, Invitation, LegalHold, Me, Member, MemberDetail, NewPrivacyRequest, OutboxRow, Page, PrivacyExport, PrivacyRequest, ReviewAction, ReviewCase, ReviewCaseDetail, ReviewStats, Team, TeamDetail,
  TestRun, ValidationResult, Workspace, WorkspaceChanges,
} from './types';

export interface TokenSource {
  accessToken(): Promise<string | null>;
  refresh(): Promise<unknown>;
}

/** The Studio's only way to the server: bearer token, JSON, Problem Details on failure. */
export class ApiClient {
  constructor(private readonly tokens: TokenSource, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {}

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, as: 'json' | 'text' | 'blob' = 'json'): Promise<T> {
    const send = async () => {
      const token = await this.tokens.accessToken();
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return this.fetchImpl(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    };
    let response = await send();
    if (response.status === 401) {
      // The token may have expired between the check and the call (a sleeping laptop): one refresh, one retry.
      try {
        await this.tokens.refresh();
        response = await send();
      } catch {
        // Fall through to report the 401 itself.
      }
    }
    if (!response.ok) throw await parseProblem(response);
    if (response.status === 204) return undefined as T;
    if (as === 'blob') return (await response.blob()) as T;
    const text = await response.text();
    if (as === 'text') return text as T;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  me = () => this.request<Me>('GET', '/api/v1/me');
  teams = () => this.request<Team[]>('GET', '/api/v1/teams');
  members = () => this.request<{ items: Member[] }>('GET', '/api/v1/members');

  descriptors = () => this.request<ActivityDescriptor[]>('GET', '/api/v1/activity-descriptors');

  listFlows = (cursor?: string | null) =>
    this.request<Page<FlowSummary>>('GET', `/api/v1/flows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  getFlow = (id: string) => this.request<FlowDetail>('GET', `/api/v1/flows/${id}`);
  createFlow = (name: string, description?: string, graph?: FlowGraph) =>
    this.request<FlowDetail>('POST', '/api/v1/flows', { name, description, graph });
  updateFlow = (id: string, patch: { name?: string; description?: string; priority?: number }) =>
    this.request<FlowDetail>('PATCH', `/api/v1/flows/${id}`, patch);
  saveDraft = (id: string, graph: FlowGraph) => this.request<FlowDetail>('PUT', `/api/v1/flows/${id}/draft`, { graph });
  deleteFlow = (id: string) => this.request<void>('DELETE', `/api/v1/flows/${id}`);
  duplicateFlow = (id: string) => this.request<FlowDetail>('POST', `/api/v1/flows/${id}/duplicate`);
  validateFlow = (id: string) => this.request<ValidationResult>('POST', `/api/v1/flows/${id}/validate`);
  publishFlow = (id: string) => this.request<{ version: number }>('POST', `/api/v1/flows/${id}/publish`);
  retractFlow = (id: string) => this.request<void>('POST', `/api/v1/flows/${id}/retract`);
  versions = (id: string) => this.request<FlowVersion[]>('GET', `/api/v1/flows/${id}/versions`);
  rollback = (id: string, version: number) =>
    this.request<{ version: number }>('POST', `/api/v1/flows/${id}/versions/${version}/rollback`);
  exportFlow = (id: string) => this.request<FlowExport>('GET', `/api/v1/flows/${id}/export`);
  importFlow = (document: FlowExport) => this.request<FlowDetail>('POST', '/api/v1/flows/import', document);

  startTestRun = (id: string, contactName?: string, channel?: string) =>
    this.request<TestRun>('POST', `/api/v1/flows/${id}/test-runs`, { contactName, channel });
  sendTestMessage = (id: string, runId: string, message: { text?: string; buttonPayload?: string }) =>
    this.request<TestRun>('POST', `/api/v1/flows/${id}/test-runs/${runId}/messages`, message);

  listInstances = (filter: { flowId?: string; status?: string; conversationId?: string; cursor?: string | null }) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
    return this.request<Page<FlowInstanceSummary>>('GET', `/api/v1/flow-instances?${query}`);
  };
  getInstance = (id: string) => this.request<FlowInstanceDetail>('GET', `/api/v1/flow-instances/${id}`);

  listReviews = (status?: string) => this.request<ReviewCase[]>('GET', `/api/v1/reviews${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  getReview = (id: string) => this.request<ReviewCaseDetail>('GET', `/api/v1/reviews/${id}`);
  startReview = (id: string) => this.request<ReviewCase>('POST', `/api/v1/reviews/${id}/start`);
  decideReview = (id: string, outcome: 'upheld' | 'overturned', reason: string, actions: ReviewAction[]) =>
    this.request<ReviewCase>('POST', `/api/v1/reviews/${id}/decide`, { outcome, reason, actions });
  withdrawReview = (id: string, reason: string) => this.request<ReviewCase>('POST', `/api/v1/reviews/${id}/withdraw`, { reason });
  reviewStats = () => this.request<ReviewStats[]>('GET', '/api/v1/reviews/stats');
  listPrivacyRequests = (contactId?: string) =>
    this.request<PrivacyRequest[]>('GET', `/api/v1/privacy/requests${contactId ? `?contactId=${contactId}` : ''}`);
  getPrivacyRequest = (id: string) => this.request<PrivacyRequest>('GET', `/api/v1/privacy/requests/${id}`);
  createPrivacyRequest = (request: NewPrivacyRequest) => this.request<PrivacyRequest>('POST', '/api/v1/privacy/requests', request);
  startPrivacyRequest = (id: string) => this.request<PrivacyRequest>('POST', `/api/v1/privacy/requests/${id}/start`);
  completePrivacyRequest = (id: string, note?: string) => this.request<PrivacyRequest>('POST', `/api/v1/privacy/requests/${id}/complete`, { note });
  refusePrivacyRequest = (id: string, reason: string, legalBasis: string) =>
    this.request<PrivacyRequest>('POST', `/api/v1/privacy/requests/${id}/refuse`, { reason, legalBasis });
  listPrivacyExports = (id: string) => this.request<PrivacyExport[]>('GET', `/api/v1/privacy/requests/${id}/exports`);
  startPrivacyExport = (id: string) => this.request<PrivacyExport>('POST', `/api/v1/privacy/requests/${id}/exports`);
  listLegalHolds = (contactId?: string) =>
    this.request<LegalHold[]>('GET', `/api/v1/privacy/legal-holds${contactId ? `?contactId=${contactId}` : ''}`);
  listContacts = (search: string) =>
    this.request<Page<Contact>>('GET', `/api/v1/contacts?limit=50${search ? `&search=${encodeURIComponent(search)}` : ''}`);
  contactAccess = (contactId: string) => this.request<Page<AuditEvent>>('GET', `/api/v1/audit-events?contactId=${contactId}&limit=50`);
  getContact = (id: string) => this.request<Contact>('GET', `/api/v1/contacts/${id}`);
  contactIdentities = (id: string) => this.request<ChannelIdentity[]>('GET', `/api/v1/contacts/${id}/identities`);
  contactConsents = (id: string) => this.request<ConsentRecord[]>('GET', `/api/v1/contacts/${id}/consents`);
  placeLegalHold = (reason: string, contactId?: string) => this.request<LegalHold>('POST', '/api/v1/privacy/legal-holds', { reason, contactId });
  releaseLegalHold = (id: string) => this.request<LegalHold>('DELETE', `/api/v1/privacy/legal-holds/${id}`);

  /** A file the API serves (an export zip), fetched with the bearer token, as a Blob to save. */
  download = (path: string) => this.request<Blob>('GET', path, undefined, undefined, 'blob');

  reviewRecordHtml = (id: string) => this.request<string>('GET', `/api/v1/reviews/${id}/record.html`, undefined, undefined, 'text');
  cancelInstance = (id: string) => this.request<void>('POST', `/api/v1/flow-instances/${id}/cancel`);
  retryIncident = (id: string, incidentId: string) =>
    this.request<void>('POST', `/api/v1/flow-instances/${id}/incidents/${incidentId}/retry`);

  channelTypes = () => this.request<ChannelTypeDescriptor[]>('GET', '/api/v1/channel-types');
  channels = () => this.request<ChannelConnection[]>('GET', '/api/v1/channels');
  createChannel = (body: Record<string, unknown>) => this.request<ChannelConnectionCreated>('POST', '/api/v1/channels', body);
  updateChannel = (id: string, patch: Record<string, unknown>) => this.request<ChannelConnection>('PATCH', `/api/v1/channels/${id}`, patch);
  deleteChannel = (id: string) => this.request<void>('DELETE', `/api/v1/channels/${id}`);
  envelopes = (id: string, status = 'failed') => this.request<Page<Envelope>>('GET', `/api/v1/channels/${id}/envelopes?status=${status}`);
  replayEnvelope = (id: string, envelopeId: string) => this.request<Envelope>('POST', `/api/v1/channels/${id}/envelopes/${envelopeId}/replay`);
  outbox = (id: string, status = 'failed') => this.request<Page<OutboxRow>>('GET', `/api/v1/channels/${id}/outbox?status=${status}`);
  replayOutbox = (id: string, outboxId: string) => this.request<OutboxRow>('POST', `/api/v1/channels/${id}/outbox/${outboxId}/replay`);

  memberList = () => this.request<{ items: MemberDetail[] }>('GET', '/api/v1/members');
  changeRole = (userId: string, role: string) => this.request<MemberDetail>('PATCH', `/api/v1/members/${userId}`, { role });
  removeMember = (userId: string) => this.request<void>('DELETE', `/api/v1/members/${userId}`);
  setMyAvailability = (availability: string) => this.request<MemberDetail>('PUT', '/api/v1/me/availability', { availability });
  invitations = () => this.request<{ items: Invitation[] }>('GET', '/api/v1/invitations');
  invite = (email: string, role: string) => this.request<CreatedInvitation>('POST', '/api/v1/invitations', { email, role });
  revokeInvitation = (id: string) => this.request<void>('DELETE', `/api/v1/invitations/${id}`);
  integrationClients = () => this.request<{ items: IntegrationClient[] }>('GET', '/api/v1/integration-clients');
  createIntegrationClient = (name: string, role: string) =>
    this.request<CreatedIntegrationClient>('POST', '/api/v1/integration-clients', { name, role });
  revokeIntegrationClient = (id: string) => this.request<void>('DELETE', `/api/v1/integration-clients/${id}`);
  teamList = () => this.request<TeamDetail[]>('GET', '/api/v1/teams');
  createTeam = (name: string, memberIds: string[]) => this.request<TeamDetail>('POST', '/api/v1/teams', { name, memberIds });
  updateTeam = (id: string, patch: { name?: string; memberIds?: string[] }) => this.request<TeamDetail>('PATCH', `/api/v1/teams/${id}`, patch);
  deleteTeam = (id: string) => this.request<void>('DELETE', `/api/v1/teams/${id}`);
  cannedResponses = () => this.request<CannedResponse[]>('GET', '/api/v1/canned-responses');
  createCannedResponse = (shortCode: string, text: string) => this.request<CannedResponse>('POST', '/api/v1/canned-responses', { shortCode, text });
  updateCannedResponse = (id: string, shortCode: string, text: string) =>
    this.request<CannedResponse>('PUT', `/api/v1/canned-responses/${id}`, { shortCode, text });
  deleteCannedResponse = (id: string) => this.request<void>('DELETE', `/api/v1/canned-responses/${id}`);
  workspace = () => this.request<Workspace>('GET', '/api/v1/workspace');
  updateWorkspace = (changes: WorkspaceChanges) => this.request<Workspace>('PATCH', '/api/v1/workspace', changes);
}
