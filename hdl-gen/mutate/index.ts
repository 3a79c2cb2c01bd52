// Mutation testing at the DSL level: the mutation operators and the mutant
// schemata transform (one design holding every mutant behind a selector).
// A pure transform over modules and expressions: no I/O here.
export { MUTATION_OPERATORS } from './mutationTypes.ts';
export type { Mutation, MutationOperator } from './mutationTypes.ts';
export { MUTANT_SEL, MUTANT_SEL_WIDTH, mutantSchemata } from './schemata.ts';
export type { Schemata, SchemataOptions } from './schemata.ts';
export { selectMutants } from './selectMutants.ts';
