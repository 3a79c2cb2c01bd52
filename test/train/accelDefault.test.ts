// The accelerator's default model (src/train/accelDefault.ts): the most accurate shipped
// model measured to fit the default FPGA target; the repository's files give a shipped,
// fitting model; and the rule follows the data (a fitting wider model would win, none
// fitting is an error naming the file).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accelDefaultFromFiles, chooseAccelDefault, entryFits, parseFitFile, type FpgaFitEntry, type FpgaFitFile } from '../../src/train/accelDefault.ts';
import { resolveModel } from '../../src/cli/accel/resolveModel.ts';
import type { ShippedManifest, ShippedModel } from '../../src/train/shipModels.ts';

const hash = (network: string): string => createHash('sha256').update(network).digest('hex');
const model = (network: string, accuracy: number, acev2: number): ShippedModel => ({
  network, width: 1, seed: 0, file: `src/networks/trained/${network}.float.json`, sha256: hash(network), recipe: 'pikelpn', weights: 1, acev2,
  heldOut: { count: 2000, correct: Math.round(accuracy * 20), accuracy }, subset: { count: 300, correct: 1 }, chosenFrom: [0],
});
const fit = (network: string, fits: boolean): FpgaFitEntry => ({
  network, sha256: hash(network), set: ['lanes=1'], lut4: 4000, ram: fits ? 30 : 76, dsp: 0, dff: 1000, capacity: { lut4: 7680, ram: 32, dsp: 0 }, fits, fmaxMhz: fits ? 28 : null, inferencesPerSecond: fits ? 180 : null,
});
const manifest: ShippedManifest = { format: 'pikehdl-shipped-models', version: 1, split: { package: 'mnist', seed: 1, subset: '' }, models: [model('a_small', 88, 3e6), model('b_mid', 96, 7e6), model('c_wide', 98, 18e6)] };
const fits = (...names: string[]): FpgaFitFile => ({ format: 'pikehdl-fpga-fit', version: 1, device: 'hx8k-ct256', command: '', tools: '', models: manifest.models.map((m) => fit(m.network, names.includes(m.network))) });

describe('the accelerator default model', () => {
  it('is the most accurate shipped model that fits; the ratio reading would pick the narrowest', () => {
    const c = chooseAccelDefault(manifest, fits('a_small', 'b_mid'));
    expect(c.network).toBe('b_mid');
    expect(c.byRatio).toBe('a_small');
    expect(c.reason).toMatch(/c_wide does not fit \(76\/32 RAM4K/);
  });

  it('follows the measurements: a wide model that fits wins, and none fitting is an error naming the file', () => {
    expect(chooseAccelDefault(manifest, fits('a_small', 'b_mid', 'c_wide')).network).toBe('c_wide');
    expect(() => chooseAccelDefault(manifest, fits())).toThrow(/no shipped model is measured to fit hx8k-ct256 \(src\/networks\/trained\/mnist_sep\.fpga-fit\.json/);
    // The verdict is recomputed from the cells, not read: an entry claiming to fit with 76 of 32 RAM4K does not.
    const lying: FpgaFitFile = { ...fits('a_small'), models: fits('a_small').models.map((f) => (f.network === 'c_wide' ? { ...f, fits: true, fmaxMhz: 30 } : f)) };
    expect(chooseAccelDefault(manifest, lying).network).toBe('a_small');
    // A file measured on another part is refused.
    expect(() => chooseAccelDefault(manifest, { ...fits('b_mid'), device: 'up5k-sg48' })).toThrow(/measured on up5k-sg48, but the default FPGA part is hx8k-ct256/);
    // A shipped model retrained after its fit was measured (its ROMs would hold other weights) is refused.
    const stale: FpgaFitFile = { ...fits('b_mid'), models: fits('b_mid').models.map((f) => (f.network === 'a_small' ? { ...f, sha256: hash('older') } : f)) };
    expect(() => chooseAccelDefault(manifest, stale)).toThrow(/a_small was measured on a model file with sha256 [0-9a-f]{12}\.\.\., but the shipped src\/networks\/trained\/a_small\.float\.json has [0-9a-f]{12}\.\.\.: rerun npx tsx src\/train\/fpgaFit\.ts/);
  });

  it('the fit file is validated, naming the field, the value and the rule', () => {
    const good = JSON.stringify(fits('b_mid'));
    expect(parseFitFile(good).models).toHaveLength(3);
    expect(() => parseFitFile(good.replace('"hx8k-ct256"', '"ice99"'), 'f.json')).toThrow(/^f\.json: device is "ice99": must be one of hx8k-ct256, up5k-sg48$/);
    expect(() => parseFitFile(good.replace('"ram":30', '"ram":-1'), 'f.json')).toThrow(/^f\.json: models\[1\]\.ram is -1: must be a non-negative integer$/);
    expect(() => parseFitFile(good.replace(`"sha256":"${hash('b_mid')}"`, '"sha256":"abc"'), 'f.json')).toThrow(/^f\.json: models\[1\]\.sha256 is "abc": must be the measured model file's sha256 \(64 hex digits\)$/);
  });

  it('from the repository\'s files: a shipped model measured to fit', () => {
    const c = accelDefaultFromFiles();
    expect(c).toBeDefined();
    expect(entryFits('hx8k-ct256', c!.fit)).toBe(true);
    // The default resolves as a built-in: its trained weights, compiled with pikelpn, on MNIST digits.
    const r = resolveModel(c!.network);
    expect(r.mnist).toBe(true);
    expect(r.net.input).toMatchObject({ height: 28, width: 28, channels: 1 });
  });
});
