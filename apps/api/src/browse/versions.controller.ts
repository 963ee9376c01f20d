import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { IsOptional, IsString, Matches } from 'class-validator';
import { assignmentStream, catalogStream, departmentStream, regionStream, staffingStream } from '../../../../libs/domain/src';
import { EventStore } from '../../../../libs/event-store/src';
import { ID_RE, REGION_CODE_RE } from '../shared/params';
import { EVENT_STORE } from '../shared/tokens';

export class VersionQueryDto {
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region?: string;
  @IsOptional() @IsString() @Matches(ID_RE, { message: 'item 应为事项编码' }) item?: string;
  @IsOptional() @IsString() @Matches(ID_RE, { message: 'department 应为部门 id' }) department?: string;
  /** A department's 实有人员 record (stream staffing-<id>). */
  @IsOptional() @IsString() @Matches(ID_RE, { message: 'staffing 应为部门 id' }) staffing?: string;
}

/**
 * The version of the record a command would change, so a form can send it back as `expectedVersion`
 * and be told (409 WRONG_EXPECTED_VERSION) when someone else changed it first. -1: no such record yet.
 * ?department=ID · ?staffing=ID (its 实有人员) · ?item=CODE (catalogue) · ?region=R&item=I (a list entry) · ?region=R.
 */
@Controller('api/versions')
export class VersionsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async get(@Query() q: VersionQueryDto) {
    const stream = q.staffing
      ? staffingStream(q.staffing)
      : q.department
        ? departmentStream(q.department)
      : q.region && q.item
        ? assignmentStream(q.region, q.item)
        : q.item
          ? catalogStream(q.item)
          : q.region
            ? regionStream(q.region)
            : undefined;
    if (!stream) {
      throw new BadRequestException({ error: 'Bad Request', code: 'VALIDATION', message: '请指定 department、item 或 region', fields: [{ field: 'region', errors: ['请指定 department、item 或 region'] }] });
    }
    return { stream, version: (await this.store.streamVersion(stream)) ?? -1 };
  }
}
