import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEPT_MARK, renderBenchmarks, renderBenchmarksKeeping } from './report';

describe('docs/benchmarks.md rendered again keeps its hand-written sections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('everything after the mark is kept byte for byte; a generated section it repeats is left out; without a mark the file is generated', () => {
    const generated = renderBenchmarks(dir);
    const firstGenerated = generated.split('\n').find((l) => l.startsWith('## '))!;
    const kept = `## Importing the 14 Karamay lists (issue 15)\n\nfigures by hand, 1.7 s\n\n${firstGenerated}\n\nwritten by hand instead\n`;
    const out = renderBenchmarksKeeping(dir, `old generated part\n\n${KEPT_MARK}\n\n${kept}`);
    expect(out.endsWith(`${KEPT_MARK}\n\n${kept}`)).toBe(true);
    expect(out).not.toContain('old generated part');
    expect(out.split('\n').filter((l) => l === firstGenerated)).toHaveLength(1);
    expect(renderBenchmarksKeeping(dir, 'no mark here')).toBe(generated);
    expect(renderBenchmarksKeeping(dir, undefined)).toBe(generated);
  });
});
