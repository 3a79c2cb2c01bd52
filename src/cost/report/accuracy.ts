/**
 * Known accuracies, for the accuracy-vs-ACEv2 plot: the published float
 * ImageNet top-1 of the built-in architectures (with where each number is
 * from), plus whatever a user supplies in an accuracy file (their own
 * trained and quantized models):
 *
 *   { "format": "pikehdl-accuracy", "version": 1,
 *     "points": [{ "network": "mnist_tiny", "recipe": "pikelpn", "top1": 95.3, "source": "my run 2024-05-01" }] }
 *
 * No quantized accuracy is built in: the PikeLPN paper's models are not
 * these exact architectures under these exact recipes, so pairing its
 * accuracies with this project's costs would compare unlike things.
 */
import { z } from 'zod';
import { closedObject, describeZodError } from '../zodIssues.ts';

export interface AccuracyPoint {
  readonly network: string;
  readonly recipe: string;
  /** Top-1 accuracy in percent. */
  readonly top1: number;
  readonly source: string;
}

export const PUBLISHED_ACCURACY: readonly AccuracyPoint[] = Object.freeze([
  { network: 'mobilenet_v1_1.0', recipe: 'float32', top1: 70.6, source: 'Howard et al. 2017, arXiv 1704.04861, Table 6 (ImageNet top-1)' },
  { network: 'mobilenet_v1_0.5', recipe: 'float32', top1: 63.7, source: 'Howard et al. 2017, arXiv 1704.04861, Table 6 (ImageNet top-1)' },
  { network: 'mobilenet_v2_1.0', recipe: 'float32', top1: 72.0, source: 'Sandler et al. 2018, arXiv 1801.04381, Table 4 (ImageNet top-1)' },
  { network: 'resnet18', recipe: 'float32', top1: 69.758, source: 'torchvision ResNet18_Weights.IMAGENET1K_V1 (ImageNet top-1)' },
]);

export class AccuracyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccuracyFileError';
  }
}

const accuracyFile = closedObject({
  format: z.literal('pikehdl-accuracy'),
  version: z.literal(1),
  points: z.array(
    closedObject({
      network: z.string().min(1, 'a network name must be non-empty'),
      recipe: z.string().min(1, 'a recipe name must be non-empty'),
      top1: z.number().min(0, 'top-1 accuracy is a percentage from 0 to 100').max(100, 'top-1 accuracy is a percentage from 0 to 100'),
      source: z.string().min(1, 'say where the accuracy comes from'),
    }),
  ),
});

export function parseAccuracyText(text: string, source = 'accuracy file'): AccuracyPoint[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AccuracyFileError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const r = accuracyFile.safeParse(json);
  if (!r.success) throw new AccuracyFileError(`${source}: ${describeZodError(r.error, json)}`);
  return r.data.points;
}

/** The accuracy of (network, recipe): a user point wins over a published one. */
export function accuracyOf(points: readonly AccuracyPoint[], network: string, recipe: string): AccuracyPoint | undefined {
  return points.find((p) => p.network === network && p.recipe === recipe);
}
