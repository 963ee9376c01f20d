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
