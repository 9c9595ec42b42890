import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Textarea, Title3, tokens } from '@fluentui/react-components';
import { ArrowLeft24Regular, BarcodeScanner24Regular } from '@fluentui/react-icons';
import type { DeepReadonly } from 'rxdb';
import { useCallback, useMemo, useReducer, useRef, useState, type FormEvent } from 'react';
import type { Receipt, Warehouse } from '../../shared/collections.js';
import type { LedgerProblem } from '../../shared/ledger/problem.js';
import type { FieldstockDatabase } from '../db/database.js';
import { newId } from '../db/new-id.js';
import { correctedId } from '../transactions/correction.js';
import { CorrectionBanner } from './CorrectionBanner.js';
import { isReceivable } from './open-orders.js';
import { OverReceiptDialog } from './OverReceiptDialog.js';
import { ReceiptHistory } from './ReceiptHistory.js';
import { correctingNote, type ReceiptCorrection } from './receipt-correction.js';
import { buildReceiptDraft } from './receipt-draft.js';
import { EMPTY_FORM, receiveFormReducer } from './receive-form-state.js';
import { receiveLines } from './receive-lines.js';
import { ReceiveLinesTable } from './ReceiveLinesTable.js';
import { useProducts, usePurchaseOrder, useReceiptsForOrder, useReceivingReferences } from './use-receive-data.js';
import { useScannerRouting } from './use-scanner-routing.js';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  facts: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalXL },
  scan: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  scanField: { minWidth: '20rem', maxWidth: '32rem', flexGrow: 1 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  note: { maxWidth: '40rem' },
  // Touch targets for gloves.
  control: { minHeight: '44px' },
  scanStatus: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, marginTop: `calc(-1 * ${tokens.spacingVerticalM})` },
  scanOk: { color: tokens.colorPaletteGreenForeground1 },
  scanFailed: { color: tokens.colorPaletteRedForeground1 },
});

type Saved = { kind: 'saved'; lineCount: number } | { kind: 'failed'; message: string } | null;

/** Receiving one purchase order: typed or scanned quantities become a pending receipt on the device, uploaded when there is a network. */
export function ReceiveOrder({
  db,
  purchaseOrderId,
  warehouses,
  onBack,
  correction,
}: {
  db: FieldstockDatabase;
  purchaseOrderId: string;
  warehouses: readonly DeepReadonly<Warehouse>[];
  onBack: () => void;
  /** Read once, when the form opens: the rejected receipt this form corrects and what it starts with. */
  correction?: ReceiptCorrection | undefined;
}) {
  const styles = useStyles();
  const order = usePurchaseOrder(db, purchaseOrderId);
  const products = useProducts(db, order?.lines.map((l) => l.productId) ?? []);
  const references = useReceivingReferences(db);
  const receipts = useReceiptsForOrder(db, purchaseOrderId);

  const productMap = useMemo(() => new Map((products ?? []).map((p) => [p.id, p])), [products]);
  const lines = useMemo(
    () =>
      order
        ? receiveLines({
            order,
            products: productMap,
            sharedUnits: (references ?? []).filter((r) => r.kind === 'unit'),
            vendor: order.vendorCode ? references?.find((r) => r.kind === 'vendor' && r.code === order.vendorCode) : undefined,
            pendingReceipts: (receipts ?? []).filter((r) => r.status === 'pending'),
          })
        : [],
    [order, productMap, references, receipts],
  );

  const [form, dispatch] = useReducer(receiveFormReducer, correction, (start) => (start ? { typed: start.typed, scan: null } : EMPTY_FORM));
  const [scanText, setScanText] = useState('');
  const [note, setNote] = useState(correction?.note ?? '');
  // Only the first receipt saved here corrects the rejected one; later ones are ordinary receipts.
  const [correcting, setCorrecting] = useState(correction ? { correction, saved: false } : null);
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Kept after the dialog closes, so it does not change its text while it animates out.
  const [review, setReview] = useState<{ receipt: Receipt; problems: LedgerProblem[] } | null>(null);
  const [reviewOpen, setReviewOpen] = useState(false);
  const [saved, setSaved] = useState<Saved>(null);
  const rootRef = useRef<HTMLElement>(null);
  const scanRef = useRef<HTMLInputElement>(null);

  const poNumber = order?.number ?? '';
  const receivable = order ? isReceivable(order.status) : false;
  const scan = useCallback(
    (code: string) => {
      setSaved(null);
      // A scan routed from elsewhere on the screen must not fill a form that cannot be saved.
      if (receivable) dispatch({ type: 'scan', code, lines, products: productMap, poNumber });
    },
    [lines, productMap, poNumber, receivable],
  );
  useScannerRouting(rootRef, scanRef, scan);

  if (order === undefined) return <Spinner label="Loading purchase order…" />;
  if (order === null) {
    return (
      <section className={styles.screen} aria-label="Purchase order">
        <Text weight="semibold">This purchase order is not on this device any more.</Text>
        {correcting && <Text>The rejected receipt cannot be corrected here without its order; it stays in Needs attention.</Text>}
        <div>
          <Button icon={<ArrowLeft24Regular />} onClick={onBack}>
            Back to open orders
          </Button>
        </div>
      </section>
    );
  }

  const warehouse = warehouses.find((w) => w.id === order.warehouseId);
  const type = (lineNumber: number, text: string) => {
    setSaved(null);
    setLineErrors(({ [lineNumber]: _, ...rest }) => rest);
    dispatch({ type: 'type', lineNumber, text });
  };

  const save = async (receipt: Receipt) => {
    setReviewOpen(false);
    try {
      await db.receipts.insert(receipt);
    } catch (error) {
      // What was typed stays in the form: nothing is lost by a failed save.
      setSaved({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    dispatch({ type: 'saved' });
    setNote('');
    setSaved({ kind: 'saved', lineCount: receipt.lines.length });
    if (correcting && correctedId(receipt) === correcting.correction.receiptId) setCorrecting({ ...correcting, saved: true });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const marked = correcting && !correcting.saved ? correctingNote(note, correcting.correction.receiptId) : note;
    const draft = buildReceiptDraft(lines, form.typed, { id: newId(), now: new Date(), order, note: marked });
    if (!draft.ok) {
      setLineErrors(draft.lineErrors);
      setFormError(draft.formError);
      return;
    }
    setLineErrors({});
    setFormError(null);
    if (draft.problems.length > 0) {
      setReview({ receipt: draft.receipt, problems: draft.problems });
      setReviewOpen(true);
    } else {
      void save(draft.receipt);
    }
  };

  return (
    <section ref={rootRef} className={styles.screen} aria-labelledby="receive-order-title">
      <div className={styles.header}>
        <div>
          <Button appearance="subtle" icon={<ArrowLeft24Regular />} onClick={onBack}>
            Back to open orders
          </Button>
        </div>
        <Title3 as="h2" id="receive-order-title">
          Receive {order.number}
        </Title3>
        <div className={styles.facts}>
          <Text>Vendor: {order.vendorName}</Text>
          <Text>Deliver to: {warehouse ? `${warehouse.code} — ${warehouse.name}` : order.warehouseId}</Text>
          <Text>Expected: {order.expectedDate ? new Date(order.expectedDate).toLocaleDateString() : 'not given'}</Text>
        </div>
      </div>

      {correcting && <CorrectionBanner {...correcting} order={order} receivable={receivable} />}
      {!receivable && (!correcting || correcting.saved) && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {order.number} is {order.status.replace('-', ' ')}. The server accepts receipts only for open or partially received orders.
          </MessageBarBody>
        </MessageBar>
      )}

      <form
        className={styles.scan}
        aria-label="Scan"
        onSubmit={(event) => {
          event.preventDefault();
          scan(scanText);
          setScanText('');
        }}
      >
        <Field label="Scan or type a barcode" className={styles.scanField}>
          <Input
            ref={scanRef}
            aria-describedby="receive-scan-hint"
            className={styles.control}
            contentBefore={<BarcodeScanner24Regular />}
            autoComplete="off"
            disabled={!receivable}
            value={scanText}
            onChange={(_, data) => setScanText(data.value)}
          />
        </Field>
        <Button type="submit" className={styles.control} disabled={!receivable}>
          Add
        </Button>
      </form>
      <div className={styles.scanStatus}>
        <Text size={200} id="receive-scan-hint">
          A scan adds one to the product's line, in the line's unit. A scanner works wherever the focus is on this screen.
        </Text>
        <div aria-live="polite">{form.scan && <Text className={form.scan.ok ? styles.scanOk : styles.scanFailed}>{form.scan.message}</Text>}</div>
      </div>

      <form className={styles.form} aria-label={`Receive ${order.number}`} onSubmit={submit} noValidate>
        <ReceiveLinesTable lines={lines} typed={form.typed} errors={lineErrors} disabled={!receivable} onType={type} />
        <Field label="Note" hint="Delivery note number, damage, anything the office should know" className={styles.note}>
          <Textarea value={note} onChange={(_, data) => setNote(data.value)} resize="vertical" disabled={!receivable} />
        </Field>
        {formError && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{formError}</MessageBarBody>
          </MessageBar>
        )}
        {saved?.kind === 'saved' && (
          <MessageBar intent="success" role="status">
            <MessageBarBody>
              Receipt of {saved.lineCount} {saved.lineCount === 1 ? 'line' : 'lines'} saved on this device. It is uploaded automatically when the server can be reached.
            </MessageBarBody>
          </MessageBar>
        )}
        {saved?.kind === 'failed' && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>The receipt could not be saved on this device: {saved.message} Your quantities are still in the form.</MessageBarBody>
          </MessageBar>
        )}
        <div>
          <Button type="submit" appearance="primary" className={styles.control} disabled={!receivable}>
            Save receipt
          </Button>
        </div>
      </form>

      <ReceiptHistory receipts={receipts} lines={lines} />
      <OverReceiptDialog
        open={reviewOpen}
        problems={review?.problems ?? []}
        onBack={() => setReviewOpen(false)}
        onSaveAnyway={() => review && void save(review.receipt)}
      />
    </section>
  );
}
