export * from './page';
export * from './catalog-browse.query';
export * from './regions-browse.query';
export * from './timeline.query';
