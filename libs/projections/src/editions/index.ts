export * from './editions.projection';
export * from './edition-content';
export * from './editions.query';
export * from './public.query';
