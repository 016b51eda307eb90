import type { FlowProblem } from './types';

/** An RFC 9457 Problem Details response, reduced to what the Studio shows a person. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  /** Field name -> messages, from a validation problem's `errors` extension. */
  readonly fieldErrors: Record<string, string[]>;
  /** Flow problems, from a failed publish's `problems` extension. */
  readonly problems: FlowProblem[];

  constructor(status: number, title: string, detail: string | null, fieldErrors: Record<string, string[]> = {}, problems: FlowProblem[] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
    this.problems = problems;
  }
}

function fallbackTitle(status: number): string {
  if (status === 0) return 'The server could not be reached';
  if (status === 400) return 'The request was not valid';
  if (status === 401) return 'You are signed out';
  if (status === 403) return 'You may not do this';
  if (status === 404) return 'Not found';
  if (status === 409) return 'Conflict';
  if (status === 422) return 'The flow has problems';
  if (status >= 500) return 'The server failed';
  return `Request failed (${status})`;
}

function asFieldErrors(value: unknown): Record<string, string[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(messages)) result[field] = messages.map(String);
    else if (typeof messages === 'string') result[field] = [messages];
  }
  return result;
}

function asProblems(value: unknown): FlowProblem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
    .map(p => ({
      nodeId: typeof p.nodeId === 'string' ? p.nodeId : null,
      field: typeof p.field === 'string' ? p.field : null,
      message: typeof p.message === 'string' ? p.message : String(p.message ?? ''),
    }));
}

/** Builds an ApiError from a parsed body, whatever shape it has (Problem Details or not). */
export function problemFromBody(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const title = typeof b.title === 'string' && b.title ? b.title : fallbackTitle(status);
    const detail = typeof b.detail === 'string' && b.detail ? b.detail : null;
    return new ApiError(status, title, detail, asFieldErrors(b.errors), asProblems(b.problems));
  }
  return new ApiError(status, fallbackTitle(status), typeof body === 'string' && body ? body.slice(0, 300) : null);
}

/** Reads a failed response into an ApiError; never throws itself. */
export async function parseProblem(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // A dropped body still leaves the status to report.
  }
  let body: unknown = text;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return problemFromBody(response.status, body);
}

/** Turns anything thrown into something a person can read. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) return new ApiError(0, fallbackTitle(0), error.message);
  return new ApiError(0, fallbackTitle(0), String(error));
}
