import {
  BadRequestException,
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  Post,
  Req,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Observable } from 'rxjs';
import { Registry } from '../../../../libs/application/src';
import { ColumnOverrides, DEFAULT_LIMITS, ImportError, contractReport, dryRun, importLists, importStaffing, mb, parseColumnsOption, readUploadInWorker } from '../../../../libs/import/src';
import { QuanzeConfig } from '../../../../libs/runtime/src';
import { CONFIG } from '../shared/tokens';
import { ImportAdmission, ImportQueue } from './import-queue';
import { ProjectionRunner, RegistryProjection, StaffingProjection } from '../../../../libs/projections/src';
import { REGION_CODE_RE } from '../shared/params';
import { IsCalendarDate, Trim } from '../shared/validators';

const MAX_FILES = 20;
const BOOL = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'];
const truthy = (v?: string) => v !== undefined && ['true', '1', 'yes', 'on'].includes(v.toLowerCase());

/** The form fields of POST /api/imports (multipart/form-data; the files go in `files`, or `file`). */
export class ImportFormDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为 6 位（省市县）或 9 位（乡镇）区划代码' }) region: string;
  @IsCalendarDate() effective: string;
  @IsString({ message: 'document（授权文件文号）必须是文本' }) @Trim() @IsNotEmpty({ message: 'document（授权文件文号）不能为空' }) @MaxLength(200) document: string;
  @IsOptional() @IsIn(BOOL, { message: 'createDepartments 应为 true 或 false' }) createDepartments?: string;
  @IsOptional() @IsIn(BOOL, { message: 'asCatalogue 应为 true 或 false' }) asCatalogue?: string;
  @IsOptional() @IsString() @MaxLength(200) department?: string;
  /** As the CLI's --columns: "事项名称=项目,权力类型=类别". */
  @IsOptional() @IsString() @MaxLength(2000) columns?: string;
  /** As the CLI's --dry-run: the mapping and sample rows per sheet; nothing recorded. */
  @IsOptional() @IsIn(BOOL, { message: 'dryRun 应为 true 或 false' }) dryRun?: string;
}

const UploadBase = FileFieldsInterceptor(
  [
    { name: 'files', maxCount: MAX_FILES },
    { name: 'file', maxCount: MAX_FILES },
  ],
  // utf8: browsers send file names as raw UTF-8 (中文文件名)
  { limits: { fileSize: DEFAULT_LIMITS.maxFileBytes, files: MAX_FILES, fields: 20, fieldSize: 10_000, parts: MAX_FILES + 20 }, defParamCharset: 'utf8' },
);

/** Multer in memory with caps; its (English) errors said in the contract's words. */
@Injectable()
export class ImportUploadInterceptor extends UploadBase {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException) {
        throw new PayloadTooLargeException({ error: 'Payload Too Large', code: 'FILE_TOO_LARGE', message: `上传的文件超过 ${mb(DEFAULT_LIMITS.maxFileBytes)} 上限` });
      }
      if (e instanceof HttpException && e.getStatus() === 400) {
        const m = String((e.getResponse() as { message?: unknown })?.message ?? e.message);
        const message = /too many files|Unexpected|file field/i.test(m)
          ? `上传字段有误：文件应放在表单字段 files（最多 ${MAX_FILES} 个）中（${m}）`
          : /Multipart|boundary/i.test(m)
            ? '请求不是有效的 multipart/form-data'
            : `上传有误（${m}）`;
        throw new BadRequestException({ error: 'Bad Request', code: 'BAD_UPLOAD', message });
      }
      throw e;
    }
  }
}

/** What multer's memory storage gives for each uploaded file (the fields used here). */
interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}
type Uploaded = { files?: UploadedFile[]; file?: UploadedFile[] };

/** POST /api/imports: published lists in, one report out (editor; the guard requires it for every POST). */
@Controller('api/imports')
export class ImportsController {
  constructor(
    private readonly registry: Registry,
    private readonly view: RegistryProjection,
    private readonly runner: ProjectionRunner,
    private readonly staffing: StaffingProjection,
    private readonly queue: ImportQueue,
    @Inject(CONFIG) private readonly config: QuanzeConfig,
  ) {}

  /**
   * One import at a time (ImportQueue: a full queue is 429 before the upload is read), its files parsed
   * in a worker thread with its own heap cap, its rows decided in slices between other requests, and
   * recorded in one atomic append (docs/reliability.md, "Imports and the server").
   */
  @Post()
  @HttpCode(200)
  @UseInterceptors(ImportAdmission, ImportUploadInterceptor)
  async import(@UploadedFiles() uploaded: Uploaded | undefined, @Body() form: ImportFormDto, @Req() req: { principal?: { name: string } }) {
    const files = [...(uploaded?.files ?? []), ...(uploaded?.file ?? [])];
    if (files.length === 0) {
      throw new BadRequestException({ error: 'Bad Request', code: 'NO_FILES', message: '请上传至少一个清单文件（multipart 表单字段 files，.xls / .xlsx / .csv）' });
    }
    let columns: ColumnOverrides | undefined;
    try {
      columns = form.columns === undefined ? undefined : parseColumnsOption(form.columns);
    } catch (e) {
      throw new BadRequestException({ error: 'Bad Request', code: 'BAD_OPTION', message: (e as Error).message });
    }
    const inputs = files.map((f) => ({ name: f.originalname.replace(/^.*[\\/]/, '') || 'upload', data: f.buffer }));
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > this.config.imports.maxUploadMb * 1024 * 1024) {
      throw new PayloadTooLargeException({ error: 'Payload Too Large', code: 'UPLOAD_TOO_LARGE', message: `一次上传的文件合计 ${mb(total)}，超过 ${this.config.imports.maxUploadMb} MB 上限：请分批导入` });
    }
    return this.queue.run(() => this.run(files, inputs, columns, form, req));
  }

  private async run(files: UploadedFile[], inputs: Array<{ name: string; data: Buffer }>, columns: ColumnOverrides | undefined, form: ImportFormDto, req: { principal?: { name: string } }) {
    try {
      // nothing recorded: how each file and sheet would be read
      if (truthy(form.dryRun)) {
        const read = await readUploadInWorker(inputs, DEFAULT_LIMITS, { columns }, { heapMb: this.config.imports.heapMb });
        const report = dryRun(inputs, { columns, read: 'files' in read ? read.files : [] });
        if (report.files.every((f) => f.error)) throw new ImportError(report.files[0].errorCode ?? 'CORRUPT_FILE', report.files.map((f) => f.error).join('\n'));
        return report;
      }
      // read in a worker thread (never on this one); the 定编制 template (npx quanze template staffing)
      // goes to its own importer
      const read = await readUploadInWorker(inputs, DEFAULT_LIMITS, { columns }, { heapMb: this.config.imports.heapMb, staffing: files.length === 1 });
      if ('staffing' in read) {
        const name = files[0].originalname.replace(/^.*[\\/]/, '') || 'upload.xlsx';
        const r = await importStaffing(this.registry, this.staffing, { name, data: files[0].buffer }, { region: form.region, effective: form.effective, document: { number: form.document }, actor: req.principal?.name ?? 'anonymous' }, read.staffing);
        await this.runner.waitFor(r.position, 30_000);
        return { layout: 'staffing' as const, rowsRead: r.rowsRead, recorded: r.recorded, unchanged: r.unchanged, rejected: r.rejected, departmentsCreated: [], changes: r.changes };
      }
      const result = await importLists(
        this.registry,
        this.view,
        inputs,
        {
          region: form.region,
          effective: form.effective,
          document: { number: form.document },
          createDepartments: truthy(form.createDepartments),
          asCatalogue: truthy(form.asCatalogue),
          department: form.department,
          columns,
          actor: req.principal?.name ?? 'anonymous',
          readFiles: () => read.files,
        },
      );
      // read your own writes: answer once the read models have the import
      await this.runner.waitFor(result.position, 30_000);
      return {
        ...contractReport(result),
        files: result.files,
        regionsRegistered: result.regionsRegistered,
        itemsDefined: result.itemsDefined,
        itemsRevised: result.itemsRevised,
        assignments: result.assignments,
        warnings: result.warnings,
        importId: result.importId,
      };
    } catch (e) {
      if (e instanceof ImportError) {
        if (e.code === 'UNKNOWN_REGION') throw new NotFoundException({ error: 'Not Found', code: e.code, message: e.message });
        if (e.code === 'IMPORT_MEMORY') throw new PayloadTooLargeException({ error: 'Payload Too Large', code: e.code, message: e.message });
        if (e.code === 'FILE_TOO_LARGE') throw new PayloadTooLargeException({ error: 'Payload Too Large', code: e.code, message: e.message });
        throw new BadRequestException({ error: 'Bad Request', code: e.code, message: e.message });
      }
      throw e;
    }
  }
}
