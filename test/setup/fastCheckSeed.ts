// Every fast-check property runs from a fixed seed unless it names its own:
// a failure then replays on the next run and in CI, instead of surfacing on a
// random seed once in a while. PIKEHDL_SEED changes it (README, "Seeds").
import fc from 'fast-check';

const seed = Number(process.env['PIKEHDL_SEED'] ?? 20261201);
if (!Number.isSafeInteger(seed)) throw new Error(`PIKEHDL_SEED ${JSON.stringify(process.env['PIKEHDL_SEED'])} is invalid: it must be an integer`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
