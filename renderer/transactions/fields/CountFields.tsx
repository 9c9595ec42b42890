import { Switch, Text } from '@fluentui/react-components';
import { formatUnits, type Units } from '../../../shared/decimal.js';
import { countVariance } from '../../../shared/ledger/stock.js';

interface Props {
  blind: boolean;
  onBlindChange(blind: boolean): void;
  /** Server on hand plus this device's pending changes; null when unknown here, undefined while loading. */
  expected: Units | null | undefined;
  /** What was typed, when it is a valid count. */
  counted: Units | null;
  unit: string;
}

/**
 * A blind count hides the expected level while counting, so the count is
 * what is on the shelf, not what the system says; the variance is shown
 * before saving when it is beyond tolerance, and in the confirmation.
 */
export function CountFields({ blind, onBlindChange, expected, counted, unit }: Props) {
  const variance = !blind && typeof expected === 'number' && counted !== null ? countVariance(counted, expected) : null;
  return (
    <>
      <Switch checked={blind} onChange={(_, data) => onBlindChange(data.checked)} label="Blind count (hide the expected level until saved)" />
      {!blind && (
        <Text as="p" aria-live="polite">
          {expected === undefined
            ? 'Expected level: loading…'
            : expected === null
              ? 'Expected level: choose a warehouse and product.'
              : `Expected level: ${formatUnits(expected)} ${unit} (server on hand and this device's pending changes).`}
          {variance && ` Variance: ${variance.variance > 0 ? '+' : ''}${formatUnits(variance.variance)} ${unit}${variance.beyondTolerance ? ' — beyond tolerance, recount before saving.' : '.'}`}
        </Text>
      )}
    </>
  );
}
