import { createContext, useContext } from 'react';
import { RANK, Role } from './labels';

export interface Session {
  name: string;
  role: Role;
}

export interface SessionValue {
  session: Session;
  /** The signed-in role is this one or higher (roles are cumulative: reader < reviewer < editor < admin). */
  can(role: Role): boolean;
}

export const SessionContext = createContext<SessionValue | null>(null);

export const canFor = (session: Session | null) => (role: Role) => !!session && RANK[session.role] >= RANK[role];

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside a signed-in app');
  return v;
}
