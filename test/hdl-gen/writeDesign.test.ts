// writeDesign: every file plus files.f and manifest.json (sha256 of each),
// an existing output replaced whole, and a failed write leaving the previous
// output untouched with no temporary directory behind.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { type Manifest, writeDesign } from '../../hdl-gen/write/index.ts';
import { withOutputFs } from '../../src/output/index.ts';
import { faultFs } from '../faults/faultFs.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lut = () => emitDesign(findGenerator('lookup_table')!.build({}));
const dot = () => emitDesign(findGenerator('dot_product')!.build({ lanes: 2, outputSkid: true }));

describe('writeDesign', () => {
  it('writes sources, extra files, files.f and a manifest with sha256', async () => {
    const d = dot();
    const out = path.join(root, 'dot');
    const w = await writeDesign(d, out);
    expect(w.files).toEqual(['dot_product_skid.v', 'dot_product.v', 'files.f', 'manifest.json']);
    expect(readFileSync(path.join(out, 'files.f'), 'utf8')).toBe('dot_product_skid.v\ndot_product.v\n');
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.top).toBe('dot_product');
    expect(manifest.unit).toBe('dot_product');
    expect(manifest.config).toMatchObject({ lanes: 2, outputSkid: true });
    for (const f of manifest.files) {
      const bytes = readFileSync(path.join(out, f.name));
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.bytes).toBe(bytes.length);
    }
    const l = await writeDesign(lut(), path.join(root, 'lut'));
    expect(l.files).toContain('lookup_table_lut.hex');
  });

  it('replaces an existing output directory as a whole', async () => {
    const out = path.join(root, 'replace');
    await writeDesign(dot(), out);
    writeFileSync(path.join(out, 'stale.v'), 'stale');
    await writeDesign(lut(), out);
    expect(readdirSync(out).sort()).toEqual(['files.f', 'lookup_table.v', 'lookup_table_lut.hex', 'manifest.json']);
  });

  it('a failure mid-write keeps the previous output and leaves no temporary directory', async () => {
    const out = path.join(root, 'keep');
    await writeDesign(lut(), out);
    const before = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    await expect(withOutputFs(faultFs({ filesLeft: 2, code: 'EIO' }), () => writeDesign(dot(), out))).rejects.toThrow(/cannot write [a-z_.]+: EIO/);
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(root).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('a failed first write leaves nothing that looks complete', async () => {
    const out = path.join(root, 'fresh');
    await expect(withOutputFs(faultFs({ filesLeft: 1, code: 'EIO' }), () => writeDesign(dot(), out))).rejects.toThrow(/cannot write [a-z_.]+: EIO/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('fresh'))).toEqual([]);
  });
});
