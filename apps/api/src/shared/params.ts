import { BadRequestException, PipeTransform } from '@nestjs/common';

export const REGION_CODE_RE = /^\d{6}(\d{3}|\d{6})?$/;
export const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$/;

/** Validates a path parameter; a bad one is a 400 that names it. */
export class ParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly re: RegExp,
    private readonly hint: string,
  ) {}
  transform(value: string): string {
    if (typeof value !== 'string' || !this.re.test(value)) {
      throw new BadRequestException({ error: 'Bad Request', code: 'VALIDATION', message: `请求参数有误：${this.field}`, fields: [{ field: this.field, errors: [this.hint] }] });
    }
    return value;
  }
}

export const RegionCodeParam = (field = 'code') => new ParamPipe(field, REGION_CODE_RE, `${field} 应为 6 位（省市县）或 9/12 位（乡镇）区划代码`);
export const ItemCodeParam = (field = 'item') => new ParamPipe(field, ID_RE, `${field} 应为 1-64 位字母、数字、点、横线或下划线`);
export const IdParam = (field = 'id') => new ParamPipe(field, ID_RE, `${field} 应为 1-64 位字母、数字、点、横线或下划线`);
