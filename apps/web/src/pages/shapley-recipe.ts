/**
 * The course's definition of a Shapley value worked out for three players (no DOM): every order
 * in which the players can join, each player's marginal contribution δ when it joins, and the
 * average of those δ over the orders. The game is a small model f(x₁, x₂, x₃); a player who has
 * not joined takes its baseline value, as SHAP's explainers do with a one-row background.
 */

export const players = ['x₁', 'x₂', 'x₃'];

/** The game: a sum, plus an interaction so that the order of joining matters. */
export function game(x: number[]): number {
  return 2 * x[0] + x[1] * x[2] + 1;
}
export const gameFormula = 'f(x₁, x₂, x₃) = 2·x₁ + x₂·x₃ + 1';

/** Every order of 0..n-1 (n! of them), in lexicographic order. */
export function orderings(n: number): number[][] {
  if (n === 0) return [[]];
  return Array.from({ length: n }, (_, first) =>
    orderings(n - 1).map((rest) => [first, ...rest.map((p) => (p >= first ? p + 1 : p))]),
  ).flat();
}

/** The game's value when only `members` have joined: the others stay at the baseline. */
export function coalitionValue(
  f: (x: number[]) => number,
  x: number[],
  baseline: number[],
  members: Set<number>,
) {
  return f(x.map((v, i) => (members.has(i) ? v : baseline[i])));
}

/**
 * For each order, each player's δ: the value with it minus the value just before it joined. The
 * Shapley value is the mean δ over all orders; they add up to f(x) − f(baseline).
 */
export function shapleyByOrderings(f: (x: number[]) => number, x: number[], baseline: number[]) {
  const rows = orderings(x.length).map((order) => {
    const deltas = new Array<number>(x.length).fill(0);
    const joined = new Set<number>();
    let before = coalitionValue(f, x, baseline, joined);
    for (const player of order) {
      joined.add(player);
      const after = coalitionValue(f, x, baseline, joined);
      deltas[player] = after - before;
      before = after;
    }
    return { order, deltas };
  });
  const average = x.map((_, p) => rows.reduce((acc, r) => acc + r.deltas[p], 0) / rows.length);
  return { rows, average, empty: f(baseline), full: f(x) };
}
