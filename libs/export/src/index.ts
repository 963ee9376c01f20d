export * from './published-list';
export * from './csv';
export * from './findings-ledger';
