/**
 * The API's contract as types and constants (../shared/docs/CONTRACT.md): what the answers look like and
 * the tables both sides must agree on. Imports nothing — the web app may import it (it still speaks HTTP
 * only at run time), and the server's answers are checked against it at compile time
 * (apps/api/src/contract/conformance.ts).
 */
export * from './common';
export * from './ownership';
export * from './list';
export * from './history';
export * from './findings';
export * from './staffing';
export * from './labels';
export * from './editions';
export * from './change-sets';
export * from './browse';
export * from './report';
export * from './imports';
