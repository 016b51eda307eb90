import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { ActivityDescriptor, Me, Member, Team } from './api/types';
import type { DescriptorIndex } from './graph/mapping';

export interface StudioContextValue {
  api: ApiClient;
  me: Me;
  /** Auditors see everything and change nothing. */
  readOnly: boolean;
  descriptors: ActivityDescriptor[];
  descriptorIndex: DescriptorIndex;
  teams: Team[];
  members: Member[];
  /** The workspace's time zone (UTC until the workspace sets one). */
  timeZone: string;
  /** Reloads what pickers show (teams, members) after a page changed them. */
  refresh(): void;
  /** Ends the session (after the account or the workspace is gone, for example). */
  signOut(): void;
}

export const StudioContext = createContext<StudioContextValue | null>(null);

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio outside the signed-in Studio');
  return value;
}

/** Agents work in the inbox; the Studio's admin pages are for admins (and, read-only, auditors). */
export function isAgentRole(role: string | undefined): boolean {
  return role?.toLowerCase() === 'agent';
}

/** Owners and Auditors decide human reviews of automated decisions; the server enforces it too. */
export function canDecideReviews(role: string | undefined): boolean {
  return !!role && ['owner', 'auditor'].includes(role.toLowerCase());
}

export function isReadOnlyRole(role: string | undefined): boolean {
  return !role || !['owner', 'admin'].includes(role.toLowerCase());
}
