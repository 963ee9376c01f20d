export * from './state';
export * from './regions';
export * from './catalogue';
export * from './departments';
export * from './assignments';
export * from './boundaries';
export * from './retractions';
export * from './findings';
