/**
 * On hand over time, rebuilt backwards from the server's current level: each
 * posted line moved on hand by its applied quantity, so the level before a
 * line is the level after it minus that quantity.
 *
 * Walking in the order things happened (occurredAt), not the order they were
 * posted, tells the physical story: the backend posts a count as "counted
 * level plus what happened after the count", and a line that arrives after a
 * newer count applies 0 (the count already included it). Whatever the order,
 * the newest level is the current one and the oldest is current minus the
 * sum of all lines.
 */
import { subtractUnits, type Units } from '../../shared/decimal.js';

export interface Movement {
  /** Milliseconds since the epoch. */
  time: number;
  /** The applied change to on hand. */
  quantity: Units;
}

export interface Step<M extends Movement> {
  movement: M;
  before: Units;
  after: Units;
}

/** The level before and after each movement, newest first, ending at `current` after the newest. */
export function walkBack<M extends Movement>(current: Units, newestFirst: readonly M[]): Step<M>[] {
  const steps: Step<M>[] = [];
  let after = current;
  for (const movement of newestFirst) {
    const before = subtractUnits(after, movement.quantity);
    steps.push({ movement, before, after });
    after = before;
  }
  return steps;
}

export interface OnHandPoint {
  time: number;
  onHand: Units;
}

/**
 * The series a step chart draws, oldest first: the level before the oldest
 * movement, the level after each movement at its time, and the current level
 * carried on to `now` (or to the newest movement, if that is later).
 */
export function onHandSeries<M extends Movement>(steps: readonly Step<M>[], current: Units, now: number): OnHandPoint[] {
  const oldest = steps[steps.length - 1];
  if (!oldest) return [];
  const points: OnHandPoint[] = [{ time: oldest.movement.time, onHand: oldest.before }];
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step) points.push({ time: step.movement.time, onHand: step.after });
  }
  const newest = steps[0]?.movement.time ?? now;
  points.push({ time: Math.max(now, newest), onHand: current });
  return points;
}

export interface SeriesSummary {
  first: Units;
  last: Units;
  lowest: Units;
  highest: Units;
}

export function summarize(points: readonly OnHandPoint[]): SeriesSummary | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  let lowest = first.onHand;
  let highest = first.onHand;
  for (const p of points) {
    if (p.onHand < lowest) lowest = p.onHand;
    if (p.onHand > highest) highest = p.onHand;
  }
  return { first: first.onHand, last: last.onHand, lowest, highest };
}
