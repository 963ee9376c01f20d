export * from './staffing.projection';
export * from './staffing.query';
