import { deciderSpec } from '../testing/given-when-then';
import { EditionEvent, EditionsState, PublishEdition, decidePublishEdition, editionInForceOn, evolveEditions, initialEditionsState } from './edition';
import { fold } from '../shared/decider';

const cmd = (over: Partial<PublishEdition> = {}): PublishEdition => ({
  regionCode: '650200',
  number: '2024年版',
  effectiveFrom: '2024-01-01',
  publishedOn: '2024-01-15',
  document: { number: '克政办发〔2024〕1号' },
  contentAsKnownAt: '2024-01-15T02:00:00.000Z',
  hash: 'a'.repeat(64),
  itemCount: 3,
  ...over,
});
const published = (c: PublishEdition): EditionEvent => ({ type: 'EditionPublished', data: { ...c, hashVersion: 1 } });
const given = (...events: EditionEvent[]): EditionsState => fold(evolveEditions, initialEditionsState, events);

describe('editions decider (Given events / When PublishEdition / Then events | error)', () => {
  const spec = (regionExists = true) => deciderSpec((c: PublishEdition, s: EditionsState) => decidePublishEdition(c, s, regionExists));

  it('a first edition is published with its hash and hash version', () => {
    spec().given(given()).when(cmd()).then([{ type: 'EditionPublished', data: { number: '2024年版', hash: 'a'.repeat(64), hashVersion: 2, contentAsKnownAt: '2024-01-15T02:00:00.000Z' } }]);
  });
  it('the same number twice in a region is refused', () => {
    spec().given(given(published(cmd()))).when(cmd({ publishedOn: '2025-01-01' })).thenFails('EDITION_EXISTS');
  });
  it('a region not registered is refused', () => {
    spec(false).given(given()).when(cmd()).thenFails('UNKNOWN_REGION');
  });
  it('a bad number or hash is refused', () => {
    spec().given(given()).when(cmd({ number: '  ' })).thenFails('EDITION_NUMBER');
    spec().given(given()).when(cmd({ hash: 'xyz' })).thenFails('EDITION_HASH');
  });
  it('an empty list and an edition published before the latest one are recorded with warnings', () => {
    spec().given(given(published(cmd()))).when(cmd({ number: '2023年版', publishedOn: '2023-06-01', effectiveFrom: '2023-06-01', itemCount: 0 })).then([{ type: 'EditionPublished' }], ['EDITION_EMPTY', 'EDITION_OUT_OF_ORDER']);
  });
});

describe('editionInForceOn', () => {
  const e2024 = { number: '2024年版', publishedOn: '2024-01-15', effectiveFrom: '2024-01-01' };
  const e2025 = { number: '2025年版', publishedOn: '2025-03-01', effectiveFrom: '2025-04-01' };
  it('is the latest edition both published and in effect by the date', () => {
    expect(editionInForceOn([e2024, e2025], '2023-12-31')).toBeUndefined();
    // In effect from 2024-01-01 but published only on the 15th: on the 10th nothing was published yet.
    expect(editionInForceOn([e2024, e2025], '2024-01-10')).toBeUndefined();
    expect(editionInForceOn([e2024, e2025], '2024-01-15')?.number).toBe('2024年版');
    // 2025年版 is published on 03-01 but takes effect on 04-01.
    expect(editionInForceOn([e2024, e2025], '2025-03-15')?.number).toBe('2024年版');
    expect(editionInForceOn([e2024, e2025], '2025-04-01')?.number).toBe('2025年版');
  });
});
