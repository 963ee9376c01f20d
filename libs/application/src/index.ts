export * from './command-executor';
export * from './registry';
