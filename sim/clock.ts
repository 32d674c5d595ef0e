import type { Micros } from './value.ts';

/**
 * A node's own clock: the global virtual time seen through an offset (skew) and a drift rate.
 * local(t) = anchorLocal + (t - anchorGlobal) * (1 + drift). Changing drift re-anchors at the
 * current instant so the local clock never jumps on a drift change; a skew fault does jump it
 * (as an NTP step does), possibly backwards.
 */
export class NodeClock {
  private anchorGlobal: Micros = 0;
  private anchorLocal: Micros = 0;
  private driftRate = 0;
  /** The sum of every step so far: what the monotonic clock leaves out. */
  private stepped: Micros = 0;

  /** Local time at global time t, an integer. */
  read(t: Micros): Micros {
    return Math.floor(this.anchorLocal + (t - this.anchorGlobal) * (1 + this.driftRate));
  }

  /** Jumps the clock by `delta` microseconds at global time t. */
  skew(t: Micros, delta: Micros): void {
    this.anchorLocal = this.read(t) + delta;
    this.anchorGlobal = t;
    this.stepped += delta;
  }

  /**
   * The node's monotonic clock at global time t (CLOCK_MONOTONIC): it runs at the drifted rate,
   * as the wall clock does, but a step never moves it. It never goes backwards.
   */
  monotonic(t: Micros): Micros {
    return this.read(t) - this.stepped;
  }

  /** From global time t on, the clock runs at (1 + rate) times real speed. */
  setDrift(t: Micros, rate: number): void {
    if (!(rate > -1)) throw new RangeError(`drift rate ${rate} would stop or reverse the clock`);
    this.anchorLocal = this.read(t);
    this.anchorGlobal = t;
    this.driftRate = rate;
  }

  get drift(): number {
    return this.driftRate;
  }

  /** Global duration that a local duration d takes on this clock (timers are set in local time). */
  toGlobalDuration(d: Micros): Micros {
    if (this.driftRate === 0 && d >= 0 && Number.isInteger(d)) return d; // the common case, same result
    return Math.max(0, Math.ceil(d / (1 + this.driftRate)));
  }
}
