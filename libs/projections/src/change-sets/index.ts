export * from './change-sets.projection';
export * from './preview';
export * from './after';
