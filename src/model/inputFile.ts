/**
 * Input files for `pikehdl run`: `{ "values": [...] }` (real values, quantized
 * with the model's input scale) or `{ "integers": [...] }` (already quantized),
 * NHWC order, one image.
 */
import { z } from 'zod';
import { floatParamArray } from './schemaParts.ts';
import { ModelError, formatIssues } from './formatIssues.ts';
import { parseJsonText } from './parseNetwork.ts';

export const inputFileSchema = z.union(
  [
    z.object({ values: floatParamArray }).strict(),
    z.object({ integers: z.array(z.number().int({ error: 'expected an integer' })) }).strict(),
  ],
  { error: () => 'expected { "values": [numbers] } or { "integers": [integers] }' },
);

export type InputFile = z.infer<typeof inputFileSchema>;

export function parseInputFile(text: string, source = 'input'): InputFile {
  const r = inputFileSchema.safeParse(parseJsonText(text, source));
  if (!r.success) throw new ModelError(source, formatIssues(r.error.issues));
  return r.data;
}
