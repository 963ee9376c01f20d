export * from './projection';
export * from './runner';
export * from './registry/registry.projection';
export * from './ownership/ownership.query';
export * from './list/list.query';
export * from './department/department.query';
export * from './history/history.query';
export * from './report/dispute-report';
