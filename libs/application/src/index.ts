export * from './command-executor';
export * from './session';
export * from './registry';
export * from './use-cases';
export * from './change-sets';
export * from './error-answer';
