export * from './limits';
export * from './workbook';
export * from './columns';
export * from './rows';
export * from './text';
export * from './naming';
export * from './divisions';
export * from './importer';
