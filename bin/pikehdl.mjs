#!/usr/bin/env node
// The `pikehdl` command (package.json "bin"). The CLI is TypeScript: tsx (a
// dependency) registers its loader in this process, then the CLI runs as
// `npm run pikehdl` runs it. Works from a clone after `npm ci` (`npx pikehdl`)
// and from an installed package (node_modules/.bin/pikehdl).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
