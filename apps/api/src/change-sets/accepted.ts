import type { Warning } from '../../../../libs/domain/src';
/**
 * A command sent with `?changeSet=<id>` was added to the change set instead of recorded. Thrown past the
 * route (whose @HttpCode would otherwise set 200/201) and answered 202 by the errors filter with this body.
 */
export class AcceptedIntoChangeSet {
  constructor(readonly body: { changeSet: string; index: number; warnings: Warning[]; version: number }) {}
}
