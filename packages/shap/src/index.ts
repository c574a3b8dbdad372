export { sampleBackground } from './background.js';
export { ShapArgumentError } from './errors.js';
export { ExactExplainer, type ExactExplainerOptions } from './exact.js';
export { Explainer, type ExplainerOptions, type ExplainOptions, type Progress } from './explainer.js';
export { Explanation, type ExplanationInit, type ExplanationRow } from './explanation.js';
export { type ExplainImageOptions, explainImage, type ImageExplanation, type ImageInput } from './image.js';
export { KernelExplainer, type KernelExplainerOptions } from './kernel.js';
export { type KernelCoalitions, kernelCoalitions } from './kernel-coalitions.js';
export type { LReg } from './kernel-solve.js';
export { type KmeansOptions, kmeansBackground } from './kmeans.js';
export { type LarsOptions, type LarsPath, type LassoIC, larsPath, lassoLarsIC } from './lars.js';
export type { LinkName } from './link.js';
export type { Matrix, MatrixInput, WeightedMatrix } from './matrix.js';
export type { Model, ModelOutput } from './model.js';
export { PermutationExplainer, type PermutationExplainerOptions } from './permutation.js';
export { type BarDatum, type BarPlotData, type BarPlotOptions, barPlot, barPlotData } from './plots/bar.js';
export {
  type BeeswarmPlotData,
  type BeeswarmPlotOptions,
  type BeeswarmPoint,
  type BeeswarmRow,
  beeswarmPlot,
  beeswarmPlotData,
} from './plots/beeswarm.js';
export { divergingColor, featureValueColor, NEGATIVE, POSITIVE } from './plots/colors.js';
export { type ImagePlotData, type ImagePlotOptions, imagePlot, imagePlotData } from './plots/image-plot.js';
export type { SvgOptions } from './plots/svg.js';
export {
  type WaterfallPlotData,
  type WaterfallPlotOptions,
  type WaterfallStep,
  waterfallPlot,
  waterfallPlotData,
} from './plots/waterfall.js';
