export * from './config';
export * from './open-store';
export * from './runtime';
