import type { LinkName } from '@descent/shap';
import { escapeHtml, formatNumber } from './escape-html';

/*
 * Short explanations for people meeting SHAP plots for the first time. Each says what one mark
 * means and how to read direction and size, in words rather than formulas.
 */

const up = '<span class="up">red</span>';
const down = '<span class="down">blue</span>';

export interface IntroWords {
  /** What one player is: 'input column', 'patch'; and several. */
  player: string;
  players: string;
  /** What one explained case is: 'row', 'image'. */
  subject: string;
  /** What the base value is, after "base value E[f(X)] = …,". */
  baseMeaning: string;
}

/** What a SHAP value is, with this report's base value and output, in one paragraph. */
export function introCaption(output: string, base: number, link: LinkName, words: IntroWords): string {
  const { player, players, subject, baseMeaning } = words;
  const space =
    link === 'logit'
      ? ` Values are in <strong>log-odds</strong> (<code>--link logit</code>): a probability p is log(p / (1 − p)), so 0 means 50%, +2 about 88%, −2 about 12%.`
      : '';
  return `<p class="lead">SHAP splits each prediction of <strong>${escapeHtml(output)}</strong> into one contribution per ${player}.
Start from the <strong>base value E[f(X)] = ${formatNumber(base)}</strong>, ${baseMeaning};
add the SHAP values of all the ${players} and you land exactly on the ${subject}'s prediction f(x).
A positive value (${up}) pushed the prediction up, a negative one (${down}) pushed it down.${space}</p>
<p class="note">SHAP describes how <em>this model</em> uses its inputs. It is not proof that a ${player} causes the outcome in the real world.</p>`;
}

export function barCaption(rows: number): string {
  return `<div class="how"><strong>How to read it:</strong> one bar per input column: its average effect size, the mean of |SHAP value| over the ${rows} explained row${rows === 1 ? '' : 's'}.
The longer the bar, the more that column moved the model's output, whichever the direction. Most influential on top.
The bar does not say <em>which way</em> a column pushes: the beeswarm below does.</div>`;
}

export function beeswarmCaption(categoryNotes: string[]): string {
  const categories = categoryNotes.length
    ? `<br>Text columns are coloured by category, in this order from ${down} to ${up}: ${categoryNotes.join('; ')}.`
    : '';
  return `<div class="how"><strong>How to read it:</strong> one dot per explained row and column.
Left–right is that column's SHAP value in that row: right of the zero line pushed the prediction up, left pushed it down.
The colour is the column's own value in the row, from ${down} (low) to ${up} (high).
So ${up} dots on the right mean “high values of this column raise the prediction”. Dots stack up where many rows got similar values.${categories}</div>`;
}

export function waterfallCaption(): string {
  return `<div class="how"><strong>How to read a waterfall:</strong> read it from the bottom up.
It starts at E[f(X)], the model's average output, and each arrow adds one column's SHAP value for this row:
${up} arrows push the prediction up, ${down} arrows push it down, the largest effects at the top.
The top arrow ends at f(x), this row's prediction. The labels on the left give each column's value in this row.</div>`;
}

export function imageCaption(patch: number, baseline: string): string {
  return `<div class="how"><strong>How to read it:</strong> the image is cut into ${patch}×${patch}-pixel patches, and each patch is one player.
To see what a patch contributes, SHAP compares the model's output with the patch shown and hidden (replaced by the ${escapeHtml(baseline)} baseline) across many combinations of the other patches.
${up} patches raised the probability of the predicted class, ${down} patches lowered it; the stronger the colour, the larger the effect. The digit is drawn on top in dark ink.</div>`;
}
