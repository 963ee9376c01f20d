/**
 * 清单重复行 (list-duplicate): a row of a region's published list that repeats an earlier row of it (the
 * same item for the same department). The import rejects the row — two rows cannot both be the entry —
 * and notes it (ListRowDuplicated on listrows-<region>); this family keeps it in the ledger from the
 * list's effective date on, so the office sees it after the import and corrects the published list.
 * It stays until the note is retracted or the finding's status is set (核查 workflow).
 */
import { FindingFamily } from '../family';
import { RegionContext } from '../region-context';

export const listDuplicateFamily: FindingFamily = {
  name: 'list-duplicate',
  // reads only the region's own notes, counted in its scope stamp (RegionContext.ownStamp)
  ownRegionOnly: true,
  kinds: [
    {
      kind: 'list-duplicate',
      nameZh: '清单重复行',
      severity: 'red',
      group: 'ledger',
      rank: 95,
      title: (d) => {
        const dup = d.duplicate as { file: string; sheet: string; row: number };
        const first = d.first as { file: string; sheet: string; row: number };
        const where = first.file === dup.file ? `第 ${first.row} 行` : `${first.file}「${first.sheet}」第 ${first.row} 行`;
        const item = d.item as { itemName: string };
        return `${dup.file}「${dup.sheet}」第 ${dup.row} 行重复${where}（${item.itemName}${d.department ? `，${(d.department as { departmentName?: string; departmentId: string }).departmentName ?? (d.department as { departmentId: string }).departmentId}` : ''}）：重复行未导入，请核对公布的清单`;
      },
    },
  ],
  run(ctx: RegionContext) {
    for (const f of ctx.view.duplicateRows(ctx.region.code, ctx.asKnownAt)) {
      const n = f.event.data;
      ctx.add('list-duplicate', [n.itemCode, `${n.duplicate.file}|${n.duplicate.sheet}|${n.duplicate.row}`], [
        {
          from: n.effectiveFrom,
          detail: {
            item: { itemCode: n.itemCode, itemName: n.itemName },
            ...(n.departmentId ? { department: { departmentId: n.departmentId } } : {}),
            duplicate: n.duplicate,
            first: n.first,
            document: n.document,
            eventId: f.eventId,
          },
        },
      ]);
    }
  },
};
