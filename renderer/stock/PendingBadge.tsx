import { Badge } from '@fluentui/react-components';
import { formatUnits } from '../../shared/decimal.js';
import type { PendingChange } from './pending-change.js';

/** "+3 pending", "-1.5 pending", "count pending": what this device changed and has not uploaded yet. */
export function PendingBadge({ change }: { change: PendingChange | null }) {
  if (!change) return null;
  const sign = change.delta > 0 ? '+' : change.delta === 0 ? '±' : '';
  return (
    <span style={{ display: 'inline-flex', gap: '4px', flexWrap: 'wrap' }}>
      {change.counted !== null && (
        <Badge color="warning" appearance="tint" title={`Counted ${formatUnits(change.counted)} on this device, not uploaded yet`}>
          count pending
        </Badge>
      )}
      {(change.counted === null || change.delta !== 0) && (
        <Badge color="warning" appearance="tint" title="Changed on this device, not uploaded yet">
          {`${sign}${formatUnits(change.delta)} pending`}
        </Badge>
      )}
    </span>
  );
}
