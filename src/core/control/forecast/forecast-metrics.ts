/**
 * Forecast error scores, accumulated pair by pair (forecast, actual) so an evaluation over weeks of
 * hourly issues never holds the pairs: mean absolute error, root mean square error, and skill against
 * a reference (1 − MAE / MAE_reference; 1 is perfect, 0 is no better than the reference, negative is
 * worse). Skill is null when the reference is exact (MAE 0), e.g. a wind target without turbines.
 */
export class ErrorAccumulator {
  private absoluteSum = 0;
  private squaredSum = 0;
  private count = 0;

  add(forecast: number, actual: number): void {
    const error = forecast - actual;
    this.absoluteSum += Math.abs(error);
    this.squaredSum += error * error;
    this.count++;
  }

  get pairs(): number {
    return this.count;
  }

  /** Mean absolute error (0 with no pairs). */
  get mae(): number {
    return this.count === 0 ? 0 : this.absoluteSum / this.count;
  }

  /** Root mean square error (0 with no pairs). */
  get rmse(): number {
    return this.count === 0 ? 0 : Math.sqrt(this.squaredSum / this.count);
  }
}

export function meanAbsoluteError(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  return accumulate(forecast, actual).mae;
}

export function rootMeanSquareError(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  return accumulate(forecast, actual).rmse;
}

/** 1 − MAE / reference MAE; null when the reference MAE is 0 (nothing to improve on). */
export function skillScore(mae: number, referenceMae: number): number | null {
  return referenceMae > 0 ? 1 - mae / referenceMae : null;
}

function accumulate(forecast: ArrayLike<number>, actual: ArrayLike<number>): ErrorAccumulator {
  if (forecast.length !== actual.length) throw new RangeError(`forecast has ${forecast.length} values, actual ${actual.length}`);
  const acc = new ErrorAccumulator();
  for (let i = 0; i < forecast.length; i++) acc.add(forecast[i] as number, actual[i] as number);
  return acc;
}
