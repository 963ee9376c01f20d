import { deciderSpec } from '../testing/given-when-then';
import { decideRetractEvent } from './retraction';

const doc = { number: '克编办〔2024〕3号' };
const stream = [
  { eventId: 'e1', type: 'ItemAssigned' },
  { eventId: 'e2', type: 'ItemTransferred' },
];
const spec = deciderSpec(decideRetractEvent);
const retract = { eventId: 'e2', retractedType: 'ItemTransferred', reason: '文号录入错误', document: doc };

describe('retract an event', () => {
  test('an event of the stream is retracted', () => spec.given(stream).when(retract).then([{ type: 'EventRetracted', data: { eventId: 'e2', reason: '文号录入错误' } }]));
  test('an event not in the stream is refused', () => spec.given(stream).when({ ...retract, eventId: 'e9' }).thenFails('UNKNOWN_EVENT'));
  test('twice is refused', () => spec.given([...stream, { eventId: 'r1', type: 'EventRetracted', retractedId: 'e2' }]).when(retract).thenFails('ALREADY_RETRACTED'));
  test('a retraction cannot be retracted', () =>
    spec.given([...stream, { eventId: 'r1', type: 'EventRetracted', retractedId: 'e2' }]).when({ ...retract, eventId: 'r1' }).thenFails('RETRACT_RETRACTION'));
  test('a blank reason is refused', () => spec.given(stream).when({ ...retract, reason: '  ' }).thenFails('REASON_REQUIRED'));
  test('another event of the stream can still be retracted after one was', () =>
    spec.given([...stream, { eventId: 'r1', type: 'EventRetracted', retractedId: 'e2' }]).when({ ...retract, eventId: 'e1' }).then([{ type: 'EventRetracted', data: { eventId: 'e1' } }]));
});
