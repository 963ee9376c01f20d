/** A data row the import did not record, and why (CONTRACT.md "Import"). */
export interface ImportRejectedRow {
  file: string;
  sheet: string;
  /** 1-based spreadsheet row, as Excel shows it. */
  row: number;
  reason: string;
}

/**
 * POST /api/imports (and `quanze import --json`): the contract's report — every data row recorded,
 * unchanged or rejected (`recorded + unchanged + rejected.length == rowsRead`) — and what the import
 * adds beside it (per file, what it registered, defined, revised; `layout: "staffing"` for the 定编制 template).
 */
export interface ImportAnswer {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: ImportRejectedRow[];
  departmentsCreated: Array<{ id: string; name: string }>;
  layout?: 'staffing';
  files?: Array<{ file: string; error?: string; errorCode?: string; rowsRead: number; recorded: number; unchanged: number; rejected: number }>;
  importId?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [detail: string]: any;
}

/** POST /api/imports with dryRun: how each file and sheet would be read, nothing recorded. */
export interface ImportDryRunAnswer {
  dryRun: true;
  rowsRead: number;
  files: Array<{
    file: string;
    error?: string;
    errorCode?: string;
    sheets: Array<{ sheet: string; headerRow?: number; mapping: object[]; dataRows: number; samples: object[]; unreadRows?: number }>;
  }>;
}

/** The fields an import recognises in a list's columns (libs/import/src/columns.ts decides which column is which). */
export type ImportField = 'seq' | 'code' | 'subCode' | 'name' | 'sub' | 'type' | 'basis' | 'subject' | 'organ' | 'level' | 'scope' | 'cooperating';

/** The Chinese name of each field, as the import report, `--columns` and the web import's mapping step use it. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  seq: '序号', code: '事项编码', subCode: '子项编码', name: '事项名称', sub: '子项名称', type: '事项类型', basis: '实施依据',
  subject: '实施主体', organ: '承办机构', level: '实施层级', scope: '权限', cooperating: '共同实施部门',
};

/** The fields a user may point at a column by hand (`--columns`, the web import's mapping step), in the order offered. */
export const MAPPABLE_IMPORT_FIELDS = ['name', 'sub', 'type', 'basis', 'subject', 'organ', 'level', 'seq', 'code'] as const satisfies readonly ImportField[];
