/** Area under the precision-recall curve as average precision: the mean precision at each fraud caught. */
export function averagePrecision(outcomes: readonly { score: number; isFraud: boolean }[]): number {
  const sorted = outcomes.slice().sort((a, b) => b.score - a.score);
  const positives = sorted.filter((o) => o.isFraud).length;
  if (positives === 0) return 0;
  let tp = 0, seen = 0, sum = 0;
  // Tied scores are flagged together, so precision is taken once per group of equal scores.
  for (let i = 0; i < sorted.length;) {
    let j = i, groupFraud = 0;
    while (j < sorted.length && sorted[j].score === sorted[i].score) {
      groupFraud += sorted[j++].isFraud ? 1 : 0;
    }
    tp += groupFraud;
    seen += j - i;
    sum += groupFraud * (tp / seen);
    i = j;
  }
  return sum / positives;
}
