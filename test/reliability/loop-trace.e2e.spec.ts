import { LoopRecord, explainSlowAnswers, startLoopTrace } from './support/loop-trace';

/** The availability phase's attribution of slow answers (support/loop-trace.ts), without timing thresholds. */
describe('loop trace', () => {
  const stall = (start: number, ms: number, cpuMs: number, runqMs: number): LoopRecord => ({ kind: 'stall', start, ms, cpuMs, runqMs, monoEndUs: 0 });

  test('an answer over 200 ms is the side whose loop was stalled for most of it; neither when no loop was', () => {
    const answers = [
      { path: '/api/health', start: 1_000, ms: 400 },
      { path: '/api/health', start: 5_000, ms: 300 },
      { path: '/api/health', start: 9_000, ms: 300 },
      { path: '/api/health', start: 12_000, ms: 150 },
    ];
    const server = [stall(1_050, 330, 20, 300), { kind: 'gc', start: 1_100, ms: 40, gc: 'minor' } as LoopRecord, stall(9_000, 200, 180, 10)];
    const client = [stall(5_010, 280, 270, 5), stall(9_050, 200, 0, 200)];
    const slow = explainSlowAnswers(answers, server, client);
    expect(slow.map((a) => a.cause)).toEqual(['server', 'client', 'both']);
    expect(slow[0].server).toMatchObject({ stalledMs: 330, runqMs: 300, gcMs: 40, gc: ['minor 40 ms'] });
    expect(explainSlowAnswers([{ path: '/x', start: 0, ms: 500 }], [stall(100, 60, 60, 0)], [])[0].cause).toBe('neither');
  });

  test('a blocked event loop is recorded as a stall, with the time it was on the CPU', async () => {
    const trace = startLoopTrace({ stallMs: 30 });
    await new Promise((r) => setTimeout(r, 30));
    const until = Date.now() + 120;
    while (Date.now() < until); // the loop held 120 ms
    await new Promise((r) => setTimeout(r, 30));
    trace.stop();
    const stalls = trace.records.filter((r) => r.kind === 'stall');
    expect(stalls.length).toBeGreaterThan(0);
    expect(Math.max(...stalls.map((s) => s.ms))).toBeGreaterThanOrEqual(100);
    if (process.platform === 'linux') expect(Math.max(...stalls.map((s) => (s.kind === 'stall' ? s.cpuMs + s.runqMs : 0)))).toBeGreaterThanOrEqual(100);
  });
});
