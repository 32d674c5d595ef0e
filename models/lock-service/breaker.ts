import type { Micros } from '../../sim/value.ts';

/**
 * The worker's circuit breaker on the lock backend ("circuit breaker", "fail fast"): after
 * `threshold` consecutive unanswered lock calls it opens for `cooldown`, during which requests
 * fail at once instead of waiting on a dead service; then one call is let through (half-open).
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = -Infinity;

  constructor(
    private readonly threshold: number,
    private readonly cooldown: Micros,
  ) {}

  isOpen(now: Micros): boolean {
    return now < this.openUntil;
  }

  /** Records an outcome; returns true when this failure opened the breaker. */
  record(ok: boolean, now: Micros): boolean {
    if (ok) {
      this.failures = 0;
      return false;
    }
    this.failures++;
    if (this.failures < this.threshold) return false;
    this.failures = 0;
    this.openUntil = now + this.cooldown;
    return true;
  }
}
