/** What the importer accepts at most: a file beyond any of these is refused with a clear error. */
export interface ImportLimits {
  /** Bytes of one input file. */
  maxFileBytes: number;
  /** Bytes a .xlsx may inflate to, all entries together (a zip bomb stops here). */
  maxUncompressedBytes: number;
  /** Entries of a .xlsx zip. */
  maxZipEntries: number;
  /** Sheets of one workbook. */
  maxSheets: number;
  /** Non-empty rows of one sheet. */
  maxRows: number;
  /** Columns read (beyond it a non-empty cell is an error). */
  maxColumns: number;
  /**
   * Cells of one file, counted before parsing (SheetJS needs ~0.2–0.7 KB and ~6 µs per cell: the cap keeps
   * a hostile file under a few hundred MB and a few seconds).
   */
  maxCells: number;
  /** Characters of one cell (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** Files in one import. */
  maxFiles: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxSheets: 100,
  maxRows: 200_000,
  maxColumns: 256,
  maxCells: 500_000,
  maxCellChars: 32_767,
  maxFiles: 50,
};

/**
 * The input cannot be imported at all (unreadable, too big, hostile, no header anywhere, unknown
 * region …). Nothing has been recorded when it is thrown. `code` is stable for scripts.
 */
export class ImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
