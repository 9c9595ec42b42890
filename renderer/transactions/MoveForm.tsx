import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Tab, TabList, Textarea, Title3, tokens } from '@fluentui/react-components';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction, Product, ReferenceData, Warehouse } from '../../shared/collections.js';
import { formatUnits } from '../../shared/decimal.js';
import { TRANSACTION_TYPES, type TransactionType } from '../../shared/schemas/inventory-transactions.js';
import { newId } from '../db/new-id.js';
import type { ActiveSession } from '../session/controller.js';
import { defaultWarehouseId, warehousesInScope } from '../warehouses/scope.js';
import { correctedId } from './correction.js';
import { MOVE_LABELS } from './describe-move.js';
import { AdjustFields } from './fields/AdjustFields.js';
import { ConsumeFields } from './fields/ConsumeFields.js';
import { CountFields } from './fields/CountFields.js';
import { ProductPicker } from './fields/ProductPicker.js';
import { WarehousePicker } from './fields/WarehousePicker.js';
import { checkMove, type MoveChecks } from './move-checks.js';
import { buildMove, readQuantity, type MoveDraft, type MoveErrors } from './move-draft.js';
import { SaveReview } from './SaveReview.js';
import { useExpectedLevel } from './use-move-data.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-start' },
});

type Saved = { kind: 'saved'; message: string } | { kind: 'failed'; message: string } | null;

export interface Correcting {
  id: string;
  reason: string;
}

interface Props {
  session: Pick<ActiveSession, 'db' | 'user'>;
  initial: MoveDraft;
  correcting: Correcting | null;
  warehouses: readonly DeepReadonly<Warehouse>[];
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  reasons: readonly DeepReadonly<ReferenceData>[];
}

/** One form for every stock move; saved on the device first (works offline), uploaded by the sync, decided by the server. */
export function MoveForm({ session, initial, correcting, warehouses, products, reasons }: Props) {
  const styles = useStyles();
  const titleId = useId();
  const { db, user } = session;
  const productRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<MoveErrors>({});
  const [review, setReview] = useState<{ transaction: InventoryTransaction; checks: MoveChecks } | null>(null);
  const [saved, setSaved] = useState<Saved>(null);
  const [blind, setBlind] = useState(false);

  const inScope = useMemo(() => warehousesInScope(warehouses, user), [warehouses, user]);
  const scopeIds = useMemo(() => new Set(inScope.map((w) => w.id)), [inScope]);
  const byId = useMemo(() => new Map(warehouses.map((w) => [w.id, w])), [warehouses]);
  const warehouseId = draft.warehouseId || defaultWarehouseId(inScope) || '';
  // A transfer may reach any active warehouse as long as one side is the user's (the server's rule).
  const fromChoices = draft.type === 'transfer' ? warehouses.filter((w) => w.active || scopeIds.has(w.id)) : inScope;
  const toChoices = warehouses.filter((w) => w.id !== warehouseId && (scopeIds.has(warehouseId) ? w.active : scopeIds.has(w.id)));

  const expected = useExpectedLevel(db, warehouseId, draft.productId, scopeIds.has(warehouseId), products);
  const product = products.get(draft.productId);
  const unit = product?.unit ?? '';
  const typed = readQuantity(draft.quantity, draft.type);
  const labels = MOVE_LABELS[draft.type];

  const change = (patch: Partial<MoveDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(null);
    setReview(null);
  };

  const save = async (transaction: InventoryTransaction, checks: MoveChecks) => {
    setReview(null);
    try {
      await db.inventoryTransactions.insert(transaction);
    } catch (error) {
      // What was typed stays in the form, so nothing is lost.
      setSaved({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    setSaved({ kind: 'saved', message: confirmation(transaction, checks, products, unit) });
    setDraft((current) => ({ ...current, productId: '', quantity: '', note: '', referenceCategory: '', referenceId: '', correctsId: '' }));
    productRef.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = buildMove({ ...draft, warehouseId }, { id: newId(), now: new Date(), reasonRequired: reasons.length > 0, inScope: (id) => scopeIds.has(id) });
    if (!result.ok) {
      setErrors(result.errors);
      setReview(null);
      return;
    }
    setErrors({});
    const checks = checkMove(result.transaction, expected ?? null, byId.get(warehouseId));
    if (checks.problems.length > 0 || checks.count?.beyondTolerance) setReview({ transaction: result.transaction, checks });
    else await save(result.transaction, checks);
  };

  return (
    <section aria-labelledby={titleId} className={styles.form}>
      <TabList selectedValue={draft.type} onTabSelect={(_, data) => change({ type: data.value as TransactionType })} aria-label="Type of move">
        {TRANSACTION_TYPES.map((type) => (
          <Tab key={type} value={type}>
            {MOVE_LABELS[type].tab}
          </Tab>
        ))}
      </TabList>
      <Title3 as="h3" id={titleId}>
        {labels.title}
      </Title3>
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
        {correcting && draft.correctsId === correcting.id && (
          <MessageBar intent="info">
            <MessageBarBody>
              {`Fixing a rejected document (${correcting.reason}). Saving makes a new ${labels.kind.toLowerCase()} that corrects it; the rejected one stays as the server's record.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {saved?.kind === 'saved' && (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{saved.message}</MessageBarBody>
          </MessageBar>
        )}
        {saved?.kind === 'failed' && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>Could not be saved on this device: {saved.message}. What you typed is still here; try again.</MessageBarBody>
          </MessageBar>
        )}
        {draft.type === 'transfer' ? (
          <div className={styles.row}>
            <WarehousePicker label="From" choices={fromChoices} value={warehouseId} onChange={(id) => change({ warehouseId: id })} error={errors.warehouseId} />
            <WarehousePicker label="To" choices={toChoices} value={draft.toWarehouseId} onChange={(id) => change({ toWarehouseId: id })} error={errors.toWarehouseId} />
          </div>
        ) : (
          <WarehousePicker label="Warehouse or truck" choices={fromChoices} value={warehouseId} onChange={(id) => change({ warehouseId: id })} error={errors.warehouseId} />
        )}
        <ProductPicker products={products} value={draft.productId} onChange={(id) => change({ productId: id })} error={errors.productId} inputRef={productRef} />
        {draft.type === 'adjustment' && <AdjustFields draft={draft} errors={errors} reasons={reasons} change={change} />}
        <Field label="Quantity" required validationMessage={errors.quantity} hint={unit ? `In ${unit}` : undefined}>
          <Input inputMode="decimal" value={draft.quantity} onChange={(_, data) => change({ quantity: data.value })} />
        </Field>
        {draft.type === 'count' && <CountFields blind={blind} onBlindChange={setBlind} expected={expected} counted={typed.ok ? typed.units : null} unit={unit} />}
        {draft.type === 'transfer' && expected === null && draft.productId && (
          <MessageBar intent="info">
            <MessageBarBody>{`The stock of ${byId.get(warehouseId)?.code ?? 'that warehouse'} is not on this device; the server checks it when the transfer uploads.`}</MessageBarBody>
          </MessageBar>
        )}
        {draft.type === 'consumption' && <ConsumeFields draft={draft} errors={errors} change={change} />}
        <Field label="Note">
          <Textarea value={draft.note} maxLength={2000} onChange={(_, data) => change({ note: data.value })} resize="vertical" />
        </Field>
        {review && (
          <SaveReview
            checks={review.checks}
            unit={unit}
            onConfirm={() => void save(review.transaction, review.checks)}
            onCancel={() => {
              setReview(null);
              if (review.checks.count) change({ quantity: '' });
            }}
          />
        )}
        <div>
          <Button type="submit" appearance="primary" disabled={review !== null}>
            {labels.save}
          </Button>
        </div>
      </form>
    </section>
  );
}

function confirmation(tx: InventoryTransaction, checks: MoveChecks, products: ReadonlyMap<string, DeepReadonly<Product>>, unit: string): string {
  const number = products.get(tx.productId)?.number ?? tx.productId;
  const what = tx.type === 'consumption' ? `Use of ${number} on work order ${tx.externalReference?.id ?? ''}` : `${MOVE_LABELS[tx.type].kind} of ${number}`;
  const count = checks.count
    ? ` Counted ${formatUnits(checks.count.counted)} ${unit}, expected ${formatUnits(checks.count.expected)} ${unit}: variance ${checks.count.variance > 0 ? '+' : ''}${formatUnits(checks.count.variance)} ${unit}.`
    : '';
  const fix = correctedId(tx) ? ' It corrects the rejected document, which leaves Needs attention.' : '';
  return `${what} saved on this device.${count}${fix} It is uploaded automatically when the server can be reached.`;
}
