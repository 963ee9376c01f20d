import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { validatedQuery, validationPipe } from '../http/validation';
import { OwnershipQueryDto, acceptOwnershipQuery } from './ownership.controller';

/** What the strict pipe with the DTO makes of a query: the DTO's fields, or the 400's body. */
async function viaPipe(q: unknown): Promise<unknown> {
  try {
    return { ...((await validationPipe().transform(q, { type: 'query', metatype: OwnershipQueryDto })) as object) };
  } catch (e) {
    return (e as BadRequestException).getResponse();
  }
}

async function viaHotPath(q: unknown): Promise<unknown> {
  try {
    return { ...(await validatedQuery(q, OwnershipQueryDto, acceptOwnershipQuery)) };
  } catch (e) {
    return (e as BadRequestException).getResponse();
  }
}

describe('the ownership route validates its query by hand, with the answers of the DTO pipe', () => {
  const good = { region: '650203', item: 'XK-001', at: '2024-06-01' };
  const cases: Array<Record<string, unknown>> = [
    good,
    { ...good, asKnownAt: '2024-05-01T08:00:00Z' },
    { ...good, asKnownAt: '2024-05-01T08:00:00.123+08:00' },
    { ...good, region: '650203001' },
    { ...good, asKnownAt: '' },
    { ...good, asKnownAt: '2024-05-01' },
    { ...good, asKnownAt: '2024-02-30T08:00:00Z' },
    { ...good, at: '2024-02-30' },
    { ...good, at: '' },
    { ...good, region: '65' },
    { ...good, item: '' },
    { ...good, item: 'x'.repeat(65) },
    { ...good, item: ['A', 'B'] },
    { ...good, region: { $gt: '' } },
    { ...good, extra: '1' },
    { ...good, extra: '1', other: '2', at: 'x' },
    { item: 'XK-001' },
    {},
    { ...good, __proto__: { polluted: 1 } },
  ];
  test.each(cases.map((c, i) => [i, c]))('case %i', async (_i, q) => {
    expect(await viaHotPath(q)).toEqual(await viaPipe(q));
  });
});
