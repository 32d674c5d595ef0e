import type { Choices } from './choices.ts';
import type { Micros } from './value.ts';

/**
 * A link's one-way latency distribution, in microseconds. Sampling draws one quantile from
 * the choices and maps it through the inverse CDF, so value 0 is always the shortest delay.
 */
export type LatencySpec =
  | { readonly kind: 'fixed'; readonly us: Micros }
  | { readonly kind: 'uniform'; readonly min: Micros; readonly max: Micros }
  /** Lognormal with the given median and shape sigma, never below `min`. */
  | { readonly kind: 'lognormal'; readonly median: Micros; readonly sigma: number; readonly min?: Micros }
  /** Pareto long tail: most samples near `min`, a few up to `max`. */
  | { readonly kind: 'pareto'; readonly min: Micros; readonly alpha: number; readonly max: Micros };

/** Resolution of a drawn quantile. 2^16 steps is finer than any latency we care about. */
const Q = 1 << 16;

export function sampleLatency(spec: LatencySpec, choices: Choices, label: string): Micros {
  switch (spec.kind) {
    case 'fixed':
      return spec.us;
    case 'uniform':
      return spec.min + choices.int(spec.max - spec.min + 1, label);
    case 'lognormal': {
      const q = (choices.int(Q, label) + 0.5) / Q;
      const v = spec.median * Math.exp(spec.sigma * normalQuantile(q));
      return Math.max(spec.min ?? 0, Math.round(v));
    }
    case 'pareto': {
      const q = choices.int(Q, label) / Q;
      const v = spec.min / Math.pow(1 - q, 1 / spec.alpha);
      return Math.min(spec.max, Math.round(v));
    }
  }
}

/** Median of a distribution: used to scale reordering windows and in reports. */
export function medianLatency(spec: LatencySpec): Micros {
  switch (spec.kind) {
    case 'fixed':
      return spec.us;
    case 'uniform':
      return Math.round((spec.min + spec.max) / 2);
    case 'lognormal':
      return Math.max(spec.min ?? 0, spec.median);
    case 'pareto':
      return Math.min(spec.max, Math.round(spec.min * Math.pow(2, 1 / spec.alpha)));
  }
}

export function validateLatency(spec: LatencySpec): string | undefined {
  const nonneg = (x: number) => Number.isInteger(x) && x >= 0;
  switch (spec.kind) {
    case 'fixed':
      return nonneg(spec.us) ? undefined : 'fixed latency must be a non-negative integer';
    case 'uniform':
      return nonneg(spec.min) && nonneg(spec.max) && spec.min <= spec.max ? undefined : 'uniform latency needs 0 <= min <= max';
    case 'lognormal':
      return spec.median > 0 && spec.sigma >= 0 ? undefined : 'lognormal latency needs median > 0 and sigma >= 0';
    case 'pareto':
      return spec.min > 0 && spec.alpha > 0 && spec.max >= spec.min ? undefined : 'pareto latency needs min > 0, alpha > 0, max >= min';
  }
}

/**
 * Inverse CDF of the standard normal (Acklam's rational approximation, |error| < 1.2e-9).
 * Deterministic arithmetic only: the same q gives the same value on every run.
 */
function normalQuantile(q: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const lo = 0.02425;
  if (q < lo) {
    const r = Math.sqrt(-2 * Math.log(q));
    return (((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) / ((((d0 * r + d1) * r + d2) * r + d3) * r + 1);
  }
  if (q > 1 - lo) {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    return -(((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) / ((((d0 * r + d1) * r + d2) * r + d3) * r + 1);
  }
  const r = q - 0.5;
  const s = r * r;
  return ((((((a0 * s + a1) * s + a2) * s + a3) * s + a4) * s + a5) * r) / (((((b0 * s + b1) * s + b2) * s + b3) * s + b4) * s + 1);
}
