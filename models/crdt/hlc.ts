/**
 * A hybrid logical clock (Kulkarni et al. 2014): physical time where clocks agree, a logical
 * counter where they do not, so a stamp issued after seeing another stamp is always greater,
 * whatever the local clock says. Stamps tie-break on the node id, so they are totally ordered.
 */
export type Stamp = readonly [wall: number, logical: number, node: string];

export interface HlcState {
  readonly [k: string]: number;
  readonly wall: number;
  readonly logical: number;
}

export const HLC_ZERO: HlcState = { wall: 0, logical: 0 };

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** A local event (a write) at physical time `now`. */
export function hlcTick(s: HlcState, now: number): HlcState {
  return now > s.wall ? { wall: now, logical: 0 } : { wall: s.wall, logical: s.logical + 1 };
}

/** Receiving a remote stamp at physical time `now`: the clock moves past it. */
export function hlcReceive(s: HlcState, remote: Stamp, now: number): HlcState {
  const wall = Math.max(s.wall, remote[0], now);
  if (wall === s.wall && wall === remote[0]) return { wall, logical: Math.max(s.logical, remote[1]) + 1 };
  if (wall === s.wall) return { wall, logical: s.logical + 1 };
  if (wall === remote[0]) return { wall, logical: remote[1] + 1 };
  return { wall, logical: 0 };
}

export const stampOf = (s: HlcState, node: string): Stamp => [s.wall, s.logical, node];
