import { storeKind } from './open-store';

describe('store selection (QUANZE_EVENTSTORE)', () => {
  test.each([
    ['sqlite', 'sqlite'],
    ['', 'sqlite'],
    ['sqlite:/tmp/x', 'sqlite'],
    ['esdb://h:2113?tls=false', 'esdb'],
    ['postgres://u@h/db', 'postgres'],
    ['postgresql://u@h1:5432,h2:5432/db?target_session_attrs=read-write', 'postgres'],
    ['mysql://h/db', undefined],
  ])('%s → %s', (spec, kind) => {
    expect(storeKind(spec)).toBe(kind);
  });
});
