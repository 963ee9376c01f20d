/** The sheet an export writes with the registry's own columns (状态, 四级四同偏差 …): not part of the list, skipped on import. */
export const REGISTRY_SHEET = '登记簿信息（不导入）';
export const isRegistrySheet = (name: string) => name === REGISTRY_SHEET;
