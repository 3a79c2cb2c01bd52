// Number formatting for reports: fixed rules, no locale, so output is the
// same on every machine.

/** 1234567 -> "1.23 M"; below 1000 printed as is (integers) or to 3 digits. */
export function si(x: number): string {
  const units: ReadonlyArray<readonly [number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, unit] of units) if (Math.abs(x) >= scale) return `${(x / scale).toFixed(2)} ${unit}`;
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

export function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

export function ratio(r: number): string {
  return `${r.toFixed(2)}x`;
}

/** Energy in pJ printed in a readable unit. */
export function energy(pj: number): string {
  if (pj >= 1e6) return `${(pj / 1e6).toFixed(2)} uJ`;
  if (pj >= 1e3) return `${(pj / 1e3).toFixed(2)} nJ`;
  return `${pj.toFixed(2)} pJ`;
}
