import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { formatUnits } from '../../shared/decimal.js';
import { COUNT_VARIANCE_WARNING_PERCENT } from '../../shared/ledger/stock.js';
import type { MoveChecks } from './move-checks.js';

interface Props {
  checks: MoveChecks;
  unit: string;
  onConfirm(): void;
  onCancel(): void;
}

/** The second look before saving a move the server would likely refuse, or a count far from the expected level. */
export function SaveReview({ checks, unit, onConfirm, onCancel }: Props) {
  const count = checks.count;
  return (
    <MessageBar intent="warning" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Check before saving</MessageBarTitle>
        {checks.problems.map((p) => (
          <p key={p.code}>{p.message}</p>
        ))}
        {count && (
          <p>
            {`Counted ${formatUnits(count.counted)} ${unit}, expected ${formatUnits(count.expected)} ${unit}: variance ${count.variance > 0 ? '+' : ''}${formatUnits(count.variance)} ${unit}, `}
            {`beyond the ${COUNT_VARIANCE_WARNING_PERCENT}% tolerance. Recount if you can; save if the count is right.`}
          </p>
        )}
        <p>You can still save it: the server decides when it uploads, and rejects it with the reason if the problem remains.</p>
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={onConfirm}>
          {count ? 'Save count anyway' : 'Save anyway'}
        </Button>
        <Button onClick={onCancel}>{count ? 'Recount' : 'Change it'}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
