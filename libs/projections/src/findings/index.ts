export * from './text-similarity';
export * from './intervals';
export * from './finding-id';
export * from './findings.engine';
export * from './findings.query';
export * from './jobs';
