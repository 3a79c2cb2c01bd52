/**
 * Vega-Lite -> Vega -> SVG, headless (renderer 'none': no canvas, no DOM).
 * Vega lays text out with its own width estimate when no canvas is present,
 * which keeps the output identical on every machine.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
