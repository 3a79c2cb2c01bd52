// docs/acev2.md carries the paper-analysis table; this regenerates it and
// fails when code and doc disagree (rerun `npx tsx src/cli/main.ts report
// --paper` and paste the output between the markers).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { paperAnalysis } from '../../src/cost/paperAnalysis.ts';
import { paperReportText } from '../../src/cost/report/reportDocuments.ts';

describe('docs/acev2.md', () => {
  it('shows the paper analysis exactly as the code computes it', () => {
    const doc = readFileSync(new URL('../../docs/acev2.md', import.meta.url), 'utf8');
    const m = doc.match(/<!-- paper-table:begin -->\n([\s\S]*?)<!-- paper-table:end -->/);
    expect(m, 'the paper-table markers are missing').not.toBeNull();
    expect(m![1]).toBe(paperReportText(paperAnalysis()));
  });
});
