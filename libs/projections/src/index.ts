export * from './projection';
export * from './runner';
export * from './registry/registry.projection';
export * from './ownership/ownership.query';
