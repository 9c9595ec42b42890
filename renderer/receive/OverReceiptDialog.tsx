import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from '@fluentui/react-components';
import type { LedgerProblem } from '../../shared/ledger/problem.js';

/**
 * The last look before saving a receipt the server will probably reject.
 * The device cannot know the server's configured default tolerance, so the
 * user may save anyway: the server decides, and the receipt then shows why.
 */
export function OverReceiptDialog({
  open,
  problems,
  onBack,
  onSaveAnyway,
}: {
  open: boolean;
  problems: readonly LedgerProblem[];
  onBack: () => void;
  onSaveAnyway: () => void;
}) {
  const over = problems.some((p) => p.code === 'over-receipt');
  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_, data) => !data.open && onBack()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{over ? 'More than ordered' : 'Check this receipt'}</DialogTitle>
          <DialogContent>
            <Text as="p">{over ? 'These lines go beyond what was ordered and the allowed tolerance:' : 'The server may not accept these lines:'}</Text>
            <ul aria-label="Lines to check">
              {problems.map((p) => (
                <li key={`${p.code}:${p.message}`}>{p.message}</li>
              ))}
            </ul>
            <Text as="p">The server will probably reject the receipt. Go back to correct the quantities, or save it anyway and let the server decide.</Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onBack}>
              Go back
            </Button>
            <Button appearance="secondary" onClick={onSaveAnyway}>
              Save anyway
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
