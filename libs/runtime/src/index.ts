export * from './config';
export * from './open-store';
export * from './runtime';
export * from './server-lock';
export * from './token-spec';
