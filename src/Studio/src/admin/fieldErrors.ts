import { ApiError, toApiError } from '../api/problem';

/** A refused request, split into what belongs next to a field and what belongs to the form. */
export interface FormProblem { fields: Record<string, string>; form: ApiError | null }

export const noProblem: FormProblem = { fields: {}, form: null };

/**
 * Field errors of a Problem Details answer by the form's field names; server names are camelCase, sometimes
 * dotted (`workspace.name`), so the last segment is matched too. What matches no field stays on the form.
 */
export function formProblem(error: unknown, fieldNames: readonly string[]): FormProblem {
  const problem = toApiError(error);
  const fields: Record<string, string> = {};
  const rest: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(problem.fieldErrors)) {
    const lower = key.toLowerCase();
    const name = fieldNames.find(f => f.toLowerCase() === lower || lower.endsWith(`.${f.toLowerCase()}`));
    if (name) fields[name] = messages.join(' ');
    else rest[key] = messages;
  }
  const leftover = Object.keys(fields).length === 0 || Object.keys(rest).length > 0 || problem.detail;
  return {
    fields,
    form: leftover ? new ApiError(problem.status, problem.title, problem.detail, rest, problem.problems) : null,
  };
}
