export * from './export-list';
export * from './csv';
