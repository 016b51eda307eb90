// The flows HTTP contract, as the WebApi serves it (camelCase JSON).

export type InputKind =
  | 'text' | 'template' | 'expression' | 'number' | 'boolean' | 'choice' | 'keywords' | 'buttons'
  | 'choices' | 'cases' | 'team' | 'agent' | 'duration' | 'calendar' | 'variable' | 'json' | 'headers';

export interface InputOption { value: string; label: string }

export interface InputDescriptor {
  name: string;
  displayName: string;
  kind: InputKind;
  required: boolean;
  defaultValue?: unknown;
  options?: InputOption[] | null;
  hint?: string | null;
}

export interface ActivityDescriptor {
  type: string;
  typeVersion: number;
  displayName: string;
  category: string;
  description: string;
  icon?: string | null;
  inputs: InputDescriptor[];
  outcomes: string[];
  dynamicOutcomes: null | { fromInput: 'choices' | 'cases'; extra: string[] };
}

/** A significant automated decision: customers may contest it; its journal entries keep the rendered explanation. */
export interface FlowDecision { significant: boolean; explanation?: string }

export interface FlowNode {
  id: string;
  type: string;
  typeVersion: number;
  inputs: Record<string, unknown>;
  position: { x: number; y: number };
  decision?: FlowDecision;
}

export interface FlowEdge { source: string; sourcePort: string; target: string }

// The engine's variable types; dates are stored as yyyy-MM-dd.
export type VariableType = 'text' | 'number' | 'boolean' | 'date' | 'json';

export interface FlowVariable { name: string; type: VariableType; defaultValue?: unknown }

export interface FlowTrigger { type: string; inputs?: Record<string, unknown> }

export interface FlowGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
  variables: FlowVariable[];
  /** What starts the flow; the designer keeps it as loaded (a new flow starts manually). */
  trigger?: FlowTrigger | null;
  /** The first node. */
  start?: string | null;
}

export interface FlowSummary {
  id: string;
  name: string;
  description?: string | null;
  priority: number;
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  runningInstances: number;
  updatedAt: string;
}

export interface FlowDetail extends FlowSummary { graph: FlowGraph | null }

export interface Page<T> { items: T[]; nextCursor: string | null }

export interface FlowProblem { nodeId: string | null; field: string | null; message: string }

export interface ValidationResult { valid: boolean; problems: FlowProblem[] }

/** `publishedBy` is the publisher's user id. */
export interface FlowVersion { version: number; publishedAt: string; publishedBy: string | null }

export interface FlowExport { format: 'oneinbox-flow/1'; name: string; description?: string | null; graph: FlowGraph }

export interface ChatButton { title: string; payload: string }

export interface TranscriptMedia { url: string; kind: string }
export interface TranscriptEntry { from: 'customer' | 'bot' | 'system'; text: string; buttons?: ChatButton[] | null; media?: TranscriptMedia | null }

export interface JournalEntry {
  sequence: number;
  nodeId: string;
  activityType: string;
  inputs: Record<string, unknown> | null;
  outcome: string | null;
  startedAt: string;
  durationMs: number;
  messagesSent: string[];
  assignment: unknown | null;
  /** On a significant decision: the explanation as rendered then, and the variables it saw. */
  significant?: boolean;
  explanation?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface TestRun {
  id: string;
  status: 'running' | 'waiting' | 'completed' | 'faulted' | 'handedOff';
  transcript: TranscriptEntry[];
  path: string[];
  variables: Record<string, unknown>;
  handOff: null | { reason: string; summary: string };
  journal: JournalEntry[];
}

export interface FlowInstanceSummary {
  id: string;
  flowId: string;
  flowName: string;
  version: number;
  conversationId: string;
  status: string;
  startedAt: string;
  updatedAt: string;
  currentNodeId: string | null;
}

export interface Incident { id: string; nodeId: string; message: string; occurredAt: string; resolved: boolean }

export interface FlowInstanceDetail extends FlowInstanceSummary {
  path: string[];
  variables: Record<string, unknown>;
  journal: JournalEntry[];
  incidents: Incident[];
  graph: FlowGraph;
}

export interface WorkspaceRef { id: string; name: string; role: string }

export interface Me {
  userId: string;
  email: string;
  displayName: string;
  activeWorkspace: WorkspaceRef;
  workspaces: WorkspaceRef[];
  /** When the person confirmed being 18 or older. */
  adultConfirmedAt?: string | null;
  policy?: PolicyStatus;
}

export interface PolicyVersion { version: string; date: string; changes: string[] }

/** The privacy policy the person accepted against the one in force; the sign-in page asks when they differ. */
export interface PolicyStatus {
  currentVersion: string;
  currentDate: string;
  acceptedVersion: string | null;
  acceptedAt: string | null;
  mustAccept: boolean;
  changes: PolicyVersion[];
}

export interface WorkspaceClosure { id: string; name: string; closedAt: string | null; purgeAt: string | null; channelsLeftConnected: string[] }

export interface Team { id: string; name: string }
export interface Member { userId: string; displayName: string; email: string; role: string }

// Workspace administration (channels, people, canned responses), as the WebApi serves it.

export interface ChannelHealth {
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  pendingOutbox: number;
  failedOutbox: number;
  failedEnvelopes: number;
}

export interface ChannelConnection {
  id: string;
  type: string;
  name: string;
  mode: string;
  baseUrl: string | null;
  callbackUrl: string | null;
  createdAt: string;
  health: ChannelHealth;
}

export interface ChannelConnectionCreated {
  connection: ChannelConnection;
  inboundUrl: string | null;
  inboundSecret: string;
  signingSecret: string | null;
}

/** `GET /api/v1/channel-types`: each channel module describes the settings its connect and rotate forms need. */
export interface ChannelFieldDescriptor {
  name: string;
  label: string;
  kind: 'text' | 'secret' | 'url' | 'list' | 'select';
  required: boolean;
  help: string | null;
  options: string[] | null;
  modes: string[] | null;
}

export interface ChannelTypeDescriptor {
  type: string;
  displayName: string;
  modes: string[];
  fields: ChannelFieldDescriptor[];
  rotatable: string[];
}

export interface Envelope { id: string; providerId: string; status: string; attempts: number; receivedAt: string; lastError?: string | null }
export interface OutboxRow {
  id: string; messageId: string; status: string; attempts: number; createdAt: string; nextAttemptAt: string;
  sentAt: string | null; providerMessageId: string | null; lastError: string | null;
}

export interface MemberDetail extends Member { joinedAt: string; availability: string }
export interface Invitation { id: string; email: string; role: string; createdAt: string; expiresAt: string; acceptedAt: string | null }
export interface CreatedInvitation { id: string; email: string; role: string; expiresAt: string; token: string }
export interface IntegrationClient { id: string; clientId: string; name: string; role: string; createdAt: string; revokedAt: string | null }
export interface CreatedIntegrationClient { id: string; clientId: string; clientSecret: string; name: string; role: string }
export interface TeamDetail { id: string; name: string; memberIds: string[]; createdAt: string }
export interface CannedResponse { id: string; shortCode: string; text: string; updatedAt: string }
export interface OpeningHours { day: string; open: string; close: string }
export interface BusinessHours { weekly: OpeningHours[]; holidays: string[] }
export interface Workspace {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  /** IANA time zone the business works in. */
  timeZone: string;
  businessHours: BusinessHours;
  openNow: boolean;
}
export interface WorkspaceChanges { name?: string; timeZone?: string; businessHours?: BusinessHours }

// Human review of automated decisions.

export type ReviewStatus = 'open' | 'inReview' | 'upheld' | 'overturned' | 'withdrawn';

export type ReviewActionType =
  'reassignTeam' | 'assignAgent' | 'handOff' | 'setAttribute' | 'clearAttribute' | 'addTag' | 'removeTag' | 'sendMessage' | 'restartFlow';

export interface ReviewAction {
  type: ReviewActionType;
  teamId?: string | null;
  memberId?: string | null;
  key?: string | null;
  value?: string | null;
  tag?: string | null;
  text?: string | null;
  nodeId?: string | null;
  result?: string | null;
}

export interface ReviewCase {
  id: string;
  reference: string;
  status: ReviewStatus;
  source: 'chat' | 'button' | 'agent';
  conversationId: string;
  contactId: string;
  contactName: string | null;
  channel: string;
  customerWords: string;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  flowId: string | null;
  flowName: string | null;
  flowVersion: number | null;
  instanceId: string | null;
  contestedSequence: number | null;
  contestedNodeId: string | null;
  contestedExplanation: string | null;
  decision: {
    outcome: ReviewStatus; reason: string; decidedBy: string | null; decidedByName: string | null; decidedAt: string;
    actions: ReviewAction[]; customerMessage: string | null;
  } | null;
  trail: { at: string; actor: string | null; action: string; detail: string | null }[];
}

export interface ReviewedRun {
  instanceId: string;
  flowId: string;
  flowName: string | null;
  version: number;
  status: string;
  startedAt: string;
  graph: FlowGraph;
  path: string[];
  journal: (JournalEntry & { error: string | null })[];
}

export interface ReviewCaseDetail extends ReviewCase {
  transcript: { id: string; direction: 'inbound' | 'outbound'; senderType: string; text: string | null; sentAt: string }[];
  instances: ReviewedRun[];
}

export interface ReviewStats {
  flowId: string;
  flowName: string | null;
  version: number;
  nodeId: string | null;
  contested: number;
  upheld: number;
  overturned: number;
  open: number;
  medianHoursToDecide: number | null;
  overturnedShare: number | null;
  flagged: boolean;
}

// Privacy rights: requests as cases, exports, legal holds.

export type PrivacyRequestType = 'access' | 'portability' | 'correction' | 'erasure' | 'restriction' | 'objection' | 'consentWithdrawal';
export type PrivacyRequestStatus = 'received' | 'inProgress' | 'completed' | 'refused';

export interface PrivacyRequest {
  id: string;
  type: PrivacyRequestType;
  purpose: string | null;
  channel: string;
  contactId: string | null;
  memberUserId: string | null;
  correctionField: string | null;
  correctionValue: string | null;
  status: PrivacyRequestStatus;
  receivedAt: string;
  dueAt: string;
  closedAt: string | null;
  overdue: boolean;
  daysLeft: number;
  outcome: string | null;
  refusalReason: string | null;
  refusalLegalBasis: string | null;
  subjectErased: boolean;
  timeline: { at: string; what: string; by: string | null; detail: string | null }[];
}

export interface PrivacyExport {
  id: string;
  requestId: string;
  status: 'building' | 'ready' | 'failed' | 'deleted';
  requestedAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  deleteAfter: string | null;
  sizeBytes: number;
  downloads: number;
  error: string | null;
}

export interface LegalHold {
  id: string;
  contactId: string | null;
  reason: string;
  placedAt: string;
  releasedAt: string | null;
  active: boolean;
}

export interface NewPrivacyRequest {
  type: PrivacyRequestType;
  channel: 'api' | 'chat' | 'email' | 'phone';
  purpose?: 'automation' | 'marketing' | 'analytics';
  contactId?: string;
  email?: string;
  phone?: string;
  correctionField?: string;
  correctionValue?: string;
}

export interface Contact {
  id: string;
  displayName: string;
  phoneNumbers: string[];
  emails: string[];
  company: string | null;
  locale: string | null;
  tags: string[];
  attributes: Record<string, string>;
  marketingConsent: boolean;
  processingRestricted: boolean;
  blocked: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelIdentity {
  id: string;
  channel: string;
  externalId: string;
  username: string | null;
  createdAt: string;
}

export interface ConsentRecord {
  granted: boolean;
  purpose: string;
  legalBasis: string;
  source: string;
  recordedBy: string | null;
  recordedAt: string;
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: string | null;
  target: string | null;
  ipAddress: string | null;
  details: string | null;
  occurredAt: string;
  subjectContactId: string | null;
  userAgent: string | null;
  client: string | null;
}
