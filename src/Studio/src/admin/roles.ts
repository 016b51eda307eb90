/** Roles a person can be given in the Studio; an owner is made by founding a workspace. */
export const assignableRoles = ['admin', 'agent', 'auditor'] as const;

export function roleLabel(role: string): string {
  const r = role.toLowerCase();
  return r[0].toUpperCase() + r.slice(1);
}
