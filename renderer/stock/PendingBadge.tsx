import { Badge } from '@fluentui/react-components';
import { formatUnits } from '../../shared/decimal.js';
import type { PendingChange } from './pending-change.js';

/**
 * "+3 pending", "count pending", "receipt pending", "2 BOX unconverted": what
 * this device changed and has not had posted yet, each kind told apart.
 */
export function PendingBadge({ change }: { change: PendingChange | null }) {
  if (!change) return null;
  const sign = change.delta > 0 ? '+' : change.delta === 0 ? '±' : '';
  const onlyUnconverted = change.counted === null && change.delta === 0 && change.transactions === 0;
  return (
    <span style={{ display: 'inline-flex', gap: '4px', flexWrap: 'wrap' }}>
      {change.counted !== null && (
        <Badge color="warning" appearance="tint" title={`Counted ${formatUnits(change.counted)} on this device: sets the level when posted`}>
          count pending
        </Badge>
      )}
      {(change.counted === null || change.delta !== 0) && !onlyUnconverted && (
        <Badge color="warning" appearance="tint" title={change.receipts > 0 ? 'Changed or received on this device, not posted yet' : 'Changed on this device, not uploaded yet'}>
          {`${sign}${formatUnits(change.delta)} pending`}
        </Badge>
      )}
      {change.receipts > change.unconverted.length && (
        <Badge color="informative" appearance="tint" title="Includes a receipt made on this device, not posted yet">
          receipt pending
        </Badge>
      )}
      {change.unconverted.map((line, i) => (
        <Badge key={i} color="danger" appearance="tint" title="A pending receipt whose unit this device cannot convert to the stock unit yet: not included in the totals">
          {`${line.quantity} ${line.unit ?? '(unit unknown)'} unconverted`}
        </Badge>
      ))}
    </span>
  );
}
