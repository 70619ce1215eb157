/**
 * A figure of the report: a Vega-Lite spec with its title and a caption that says what to
 * notice. Rendering turns it into SVG (inline in the page, and as a file of its own).
 */
import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "./render-svg.ts";
import { FIGURE_CONFIG } from "./theme.ts";

/** A figure before rendering. */
export interface Figure {
  /** stable name, also the file name: `<id>.svg` (e.g. "e1-accuracy") */
  id: string;
  /** the report section it belongs to ("E1", "E2", …, "derivatives") */
  section: string;
  title: string;
  /** what to notice, in a sentence or two */
  caption: string;
  spec: TopLevelSpec;
}

/** A rendered figure. */
export interface RenderedFigure extends Omit<Figure, "spec"> {
  svg: string;
  /** the standalone SVG, relative to the report directory: `figures/<id>.svg` */
  file: string;
}

/**
 * Renders a figure to SVG with the report's theme; ids inside are prefixed with the figure's.
 *
 * @example
 * const f = await renderFigure(e1AccuracyFigure(result));
 * writeFileSync(join("report", f.file), f.svg);
 */
export async function renderFigure(figure: Figure): Promise<RenderedFigure> {
  const spec = {
    ...figure.spec,
    title: figure.spec.title ?? figure.title,
    description: figure.spec.description ?? `${figure.title}. ${figure.caption}`,
    config: { ...FIGURE_CONFIG, ...(figure.spec.config ?? {}) },
  } as TopLevelSpec;
  const { spec: _, ...rest } = figure;
  return { ...rest, svg: await renderSvg(spec, `${figure.id}-`), file: `figures/${figure.id}.svg` };
}
