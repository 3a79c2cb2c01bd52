// Reusable building blocks written with the DSL.
export { sum } from './sum.ts';
export { registerStage } from './registerStage.ts';
