/** Roles of CONTRACT.md, lowest first. */
export const ROLES = ['reader', 'reviewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** A role may do what every role below it may. */
export const ROLE_RANK: Record<Role, number> = { reader: 0, reviewer: 1, editor: 2, admin: 3 };

/** The document (文号) that authorises a change. */
export interface DocumentRef {
  number: string;
  title?: string;
  issuedBy?: string;
  issuedOn?: string;
}

export interface Warning {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The answer to every command (POST): what was appended, and what the documents made worse. */
export interface CommandResult {
  eventIds: string[];
  recordedAt: string;
  streamVersion: number;
  warnings?: Warning[];
}

/** One field's problems in a 400 answer. */
export interface FieldProblem {
  field: string;
  errors: string[];
  message?: string;
  code?: string;
}

/** Every error answer: a code, a message for people (Chinese), and what it is about. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldProblem[];
  details?: unknown;
}
