import { makeStyles, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { formatUnits } from '../../shared/decimal.js';
import { DEFAULT_FRAME, stepChart } from './chart-geometry.js';
import { summarize, type OnHandPoint } from './on-hand-over-time.js';

const useStyles = makeStyles({
  chart: { width: '100%', maxWidth: '48rem', height: 'auto', display: 'block' },
  line: { fill: 'none', stroke: tokens.colorBrandForeground1, strokeWidth: '2' },
  mark: { fill: tokens.colorBrandForeground1 },
  zero: { stroke: tokens.colorNeutralStroke1, strokeWidth: '1' },
  axis: { stroke: tokens.colorNeutralStroke2, strokeWidth: '1' },
  label: { fill: tokens.colorNeutralForeground2, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
});

const dateText = (time: number) => new Date(time).toLocaleDateString();

/** What a screen reader says instead of the picture; the movements table below holds every value. */
export function chartSummary(points: readonly OnHandPoint[], subject: string, movements: number): string {
  const summary = summarize(points);
  const first = points[0];
  const last = points[points.length - 1];
  if (!summary || !first || !last) return `No movements of ${subject} yet.`;
  const count = movements === 1 ? '1 movement' : `${movements} movements`;
  return (
    `On hand of ${subject} over time, ${count} from ${dateText(first.time)} to ${dateText(last.time)}: ` +
    `${formatUnits(summary.first)} before the first movement, ${formatUnits(summary.last)} now, ` +
    `lowest ${formatUnits(summary.lowest)}, highest ${formatUnits(summary.highest)}. Every movement is listed in the table below.`
  );
}

/** A step chart of on hand over time, drawn in plain SVG. */
export function OnHandChart({ points, subject, movements }: { points: readonly OnHandPoint[]; subject: string; movements: number }) {
  const styles = useStyles();
  const chart = useMemo(() => stepChart(points), [points]);
  if (!chart) return null;
  const { width, height, padBottom } = DEFAULT_FRAME;
  const baseline = height - padBottom;
  return (
    <svg role="img" aria-label={chartSummary(points, subject, movements)} viewBox={`0 0 ${width} ${height}`} className={styles.chart}>
      {/* Everything inside is decoration for sighted users: the label above says it all. */}
      <g aria-hidden="true">
        <line x1={chart.xStart} x2={chart.xStart} y1={DEFAULT_FRAME.padTop} y2={baseline} className={styles.axis} />
        <line x1={chart.xStart} x2={chart.xEnd} y1={chart.zeroY} y2={chart.zeroY} className={styles.zero} />
        {chart.yTicks.map((tick) => (
          <text key={tick.value} x={chart.xStart - 6} y={tick.y + 4} textAnchor="end" className={styles.label}>
            {formatUnits(tick.value)}
          </text>
        ))}
        {chart.yTicks.every((tick) => Math.abs(tick.y - chart.zeroY) > 12) && (
          <text x={chart.xStart - 6} y={chart.zeroY + 4} textAnchor="end" className={styles.label}>
            0
          </text>
        )}
        <path d={chart.path} className={styles.line} />
        {chart.marks.map((mark, i) => (
          <circle key={i} cx={mark.x} cy={mark.y} r={3} className={styles.mark} />
        ))}
        <text x={chart.xStart} y={height - 8} className={styles.label}>
          {dateText(chart.startTime)}
        </text>
        <text x={chart.xEnd} y={height - 8} textAnchor="end" className={styles.label}>
          Now
        </text>
      </g>
    </svg>
  );
}
