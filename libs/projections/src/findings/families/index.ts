/**
 * The finding families the engine runs, in this order. A new family is one file beside these and one line
 * here; its kinds then appear in /api/findings (and /api/overlaps, /api/gaps or /api/conformance by their
 * group), in the CLI, with their colour, and in the counts.
 */
import { FindingFamily } from '../family';
import { conformanceFamily } from './conformance.family';
import { listDuplicateFamily } from './list-duplicate.family';
import { multiLevelFamily } from './multi-level.family';
import { ownershipFamily } from './ownership.family';
import { sandingFamily } from './sanding.family';
import { similarFamily } from './similar.family';
import { staffingFamily } from '../../staffing/staffing.findings';

export const FAMILIES: readonly FindingFamily[] = [
  ownershipFamily,
  conformanceFamily,
  multiLevelFamily,
  sandingFamily,
  similarFamily,
  staffingFamily,
  listDuplicateFamily,
];
