import { defineConfig } from 'vitest/config';

// Co-simulation tests build Verilator models (seconds each, cached under build/)
// and drive them for many transactions, so timeouts are generous; tests never
// assert wall-clock time, they only must not hang.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fastCheckSeed.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
