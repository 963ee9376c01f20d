export * from './published-list';
export * from './csv';
