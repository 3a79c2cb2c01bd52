// The coverage reader on Verilator's coverage.dat format (the build itself is
// exercised by `pikehdl coverage`; a coverage build costs too much for CI).
import { describe, expect, it } from 'vitest';
import { parseCoverage } from '../../src/verify/coverage.ts';

const point = (file: string, line: number, page: string, what: string, count: number): string =>
  `C '\x01f\x02/some/dir/${file}\x01l\x02${line}\x01n\x020\x01page\x02${page}\x01o\x02${what}\x01h\x02TOP.u' ${count}`;

describe('parseCoverage', () => {
  it('reads line, branch and toggle points with their counts and skips other lines', () => {
    const text = ['# SystemC::Coverage-3', point('a.v', 12, 'v_line/a', 'block', 5), point('a.v', 13, 'v_branch/a', 'else', 0), point('a.v', 20, 'v_toggle/a', 'x[3]', 0), point('a.v', 21, 'v_user/a', 'cover', 1)].join('\n');
    const ps = parseCoverage(text);
    expect(ps).toEqual([
      { kind: 'line', file: 'a.v', line: 12, what: 'block', count: 5 },
      { kind: 'line', file: 'a.v', line: 13, what: 'else', count: 0 },
      { kind: 'toggle', file: 'a.v', line: 20, what: 'x[3]', count: 0 },
    ]);
  });
  it('finds nothing in text that is not coverage data', () => {
    expect(parseCoverage('not a coverage file\n')).toEqual([]);
  });
});
