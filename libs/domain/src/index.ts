export * from './shared/types';
export * from './shared/decider';
export * from './regions/region';
export * from './catalog/catalog-item';
export * from './departments/department';
export * from './assignments/assignment';
export * from './events';
