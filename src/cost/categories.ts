/**
 * What each counted operation is for. The paper's argument is about which
 * of these dominate, so every operation in a tally carries one.
 */
export const CATEGORIES = ['mac', 'norm', 'scaling', 'activation', 'residual', 'pooling'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = Object.freeze({
  mac: 'MAC',
  norm: 'batch norm / QuantNorm',
  scaling: 'quantization scaling',
  activation: 'activation',
  residual: 'residual',
  pooling: 'pooling',
});

export function isCategory(s: string): s is Category {
  return (CATEGORIES as readonly string[]).includes(s);
}
