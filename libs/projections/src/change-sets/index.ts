export * from './change-sets.projection';
export * from './preview';
