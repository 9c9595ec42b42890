/**
 * The geometry of the on-hand step chart, apart from React: on hand stays
 * where it is until the next movement, so the line runs flat and then jumps
 * (a step), never slopes between two movements.
 */
import { QUANTITY_SCALE, type Units } from '../../shared/decimal.js';
import type { OnHandPoint } from './on-hand-over-time.js';

export interface ChartFrame {
  width: number;
  height: number;
  /** Room for the axis labels. */
  padLeft: number;
  padRight: number;
  padTop: number;
  padBottom: number;
}

export const DEFAULT_FRAME: ChartFrame = { width: 640, height: 220, padLeft: 56, padRight: 16, padTop: 12, padBottom: 28 };

export interface StepChart {
  /** SVG path data of the step line. */
  path: string;
  /** Where a movement changed the level: one dot each. */
  marks: { x: number; y: number }[];
  /** Lowest and highest level shown, with their heights, for the axis labels. */
  yTicks: { value: Units; y: number }[];
  /** The zero line's height (zero is always in view). */
  zeroY: number;
  xStart: number;
  xEnd: number;
  startTime: number;
  endTime: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function stepChart(points: readonly OnHandPoint[], frame: ChartFrame = DEFAULT_FRAME): StepChart | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  // Zero is always in view: a level of 12 next to 10 looks like a cliff on an axis from 10 to 12.
  let low = Math.min(0, ...points.map((p) => p.onHand));
  let high = Math.max(0, ...points.map((p) => p.onHand));
  if (low === high) {
    low -= QUANTITY_SCALE;
    high += QUANTITY_SCALE;
  }
  // A little room before the oldest movement, so the level before it shows as a line, not only as the top of a jump.
  const startTime = first.time - (last.time - first.time) / 8;
  const endTime = last.time;
  const xStart = frame.padLeft;
  const xEnd = frame.width - frame.padRight;
  const yTop = frame.padTop;
  const yBottom = frame.height - frame.padBottom;
  const x = (time: number) => (endTime === startTime ? xStart : round(xStart + ((time - startTime) / (endTime - startTime)) * (xEnd - xStart)));
  const y = (value: number) => round(yBottom - ((value - low) / (high - low)) * (yBottom - yTop));

  let path = `M${x(startTime)},${y(first.onHand)}`;
  const marks: { x: number; y: number }[] = [];
  for (let i = 1; i < points.length; i++) {
    const point = points[i];
    if (!point) continue;
    path += ` H${x(point.time)} V${y(point.onHand)}`;
    // The last point only carries the current level on to now; it is not a movement.
    if (i < points.length - 1) marks.push({ x: x(point.time), y: y(point.onHand) });
  }
  if (endTime === startTime) path += ` H${xEnd}`;
  const lowest = Math.min(...points.map((p) => p.onHand)) as Units;
  const highest = Math.max(...points.map((p) => p.onHand)) as Units;
  const yTicks = lowest === highest ? [{ value: lowest, y: y(lowest) }] : [{ value: highest, y: y(highest) }, { value: lowest, y: y(lowest) }];
  return { path, marks, yTicks, zeroY: y(0), xStart, xEnd, startTime, endTime };
}
