import {
  Button,
  Combobox,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Textarea,
  Title3,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState, type FormEvent } from 'react';
import { useUi } from '../app/ui-store.js';
import { newId } from '../db/new-id.js';
import type { ActiveSession } from '../session/controller.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { buildAdjustment, type AdjustmentField, type AdjustmentInput, type Direction } from './adjustment.js';
import { RecentTransactions } from './RecentTransactions.js';
import { useActiveProducts, useReasonCodes } from './use-adjust-data.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '720px' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-end' },
});

/** Options shown in the product search at once; typing narrows them. */
const PRODUCT_MATCHES = 50;

type Saved = { kind: 'saved'; productLabel: string } | { kind: 'failed'; message: string } | null;

/** A stock adjustment, saved on the device first (works offline) and uploaded by the sync. */
export function AdjustScreen({ session }: { session: ActiveSession }) {
  const styles = useStyles();
  const { db, user } = session;
  const warehouses = useWarehouses(db);
  const products = useActiveProducts(db);
  const reasons = useReasonCodes(db);

  const choices = useMemo(() => {
    const all = warehouses ?? [];
    // A user writes only in their scope; an admin's scope is everything.
    if (!user || user.role === 'admin' || user.warehouseIds.length === 0) return all;
    return all.filter((w) => user.warehouseIds.includes(w.id));
  }, [warehouses, user]);

  // Opened from a stock row: start with that warehouse and product chosen.
  const prefill = useUi((s) => s.adjustPrefill);
  const [input, setInput] = useState<AdjustmentInput>({
    warehouseId: prefill?.warehouseId ?? '',
    productId: prefill?.productId ?? '',
    direction: 'remove',
    quantity: '',
    reasonCode: '',
    note: '',
  });
  const [typedQuery, setProductQuery] = useState('');
  const prefilledProduct = !typedQuery && input.productId ? products?.find((p) => p.id === input.productId) : undefined;
  const productQuery = prefilledProduct ? `${prefilledProduct.number} ${prefilledProduct.name}` : typedQuery;
  const [errors, setErrors] = useState<Partial<Record<AdjustmentField, string>>>({});
  const [saved, setSaved] = useState<Saved>(null);
  const warehouseId = input.warehouseId || choices[0]?.id || '';
  const change = (patch: Partial<AdjustmentInput>) => {
    setInput((current) => ({ ...current, ...patch }));
    setSaved(null);
  };

  const matches = useMemo(() => {
    const query = productQuery.trim().toLowerCase();
    const all = products ?? [];
    const found = query ? all.filter((p) => p.number.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) : all;
    return found.slice(0, PRODUCT_MATCHES);
  }, [products, productQuery]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = buildAdjustment({ ...input, warehouseId }, { id: newId(), now: new Date(), reasonRequired: (reasons ?? []).length > 0 });
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    try {
      await db.inventoryTransactions.insert(result.transaction);
    } catch (error) {
      setSaved({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    setSaved({ kind: 'saved', productLabel: productQuery });
    setInput((current) => ({ ...current, productId: '', quantity: '', note: '' }));
    setProductQuery('');
  };

  const selectedWarehouse = choices.find((w) => w.id === warehouseId);
  const selectedReason = reasons?.find((r) => r.code === input.reasonCode);
  return (
    <div className={styles.layout}>
      <section aria-labelledby="adjust-title">
        <Title3 as="h2" id="adjust-title">
          Adjust stock
        </Title3>
        <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="adjust-title" noValidate>
          {saved?.kind === 'saved' && (
            <MessageBar intent="success" role="status">
              <MessageBarBody>Adjustment of {saved.productLabel} saved on this device. It is uploaded automatically when the server can be reached.</MessageBarBody>
            </MessageBar>
          )}
          {saved?.kind === 'failed' && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>The adjustment could not be saved on this device: {saved.message}</MessageBarBody>
            </MessageBar>
          )}
          <Field label="Warehouse or truck" required validationMessage={errors.warehouseId}>
            <Dropdown
              value={selectedWarehouse ? `${selectedWarehouse.code} — ${selectedWarehouse.name}` : ''}
              selectedOptions={warehouseId ? [warehouseId] : []}
              onOptionSelect={(_, data) => change({ warehouseId: data.optionValue ?? '' })}
              placeholder="Choose a warehouse"
            >
              {choices.map((w) => (
                <Option key={w.id} value={w.id} text={`${w.code} — ${w.name}`}>
                  {`${w.code} — ${w.name}`}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="Product" required validationMessage={errors.productId} hint="Type a product number or part of its name">
            <Combobox
              freeform
              value={productQuery}
              selectedOptions={input.productId ? [input.productId] : []}
              onChange={(event) => {
                setProductQuery(event.target.value);
                change({ productId: '' });
              }}
              onOptionSelect={(_, data) => {
                setProductQuery(data.optionText ?? '');
                change({ productId: data.optionValue ?? '' });
              }}
              placeholder="Search products"
            >
              {matches.map((p) => (
                <Option key={p.id} value={p.id} text={`${p.number} ${p.name}`}>
                  {`${p.number} — ${p.name} (${p.unit})`}
                </Option>
              ))}
            </Combobox>
          </Field>
          <div className={styles.row}>
            <Field label="Change">
              <RadioGroup layout="horizontal" value={input.direction} onChange={(_, data) => change({ direction: data.value === 'add' ? 'add' : 'remove' satisfies Direction })}>
                <Radio value="remove" label="Remove from stock" />
                <Radio value="add" label="Add to stock" />
              </RadioGroup>
            </Field>
            <Field label="Quantity" required validationMessage={errors.quantity}>
              <Input inputMode="decimal" value={input.quantity} onChange={(_, data) => change({ quantity: data.value })} />
            </Field>
          </div>
          <Field label="Reason" required={(reasons ?? []).length > 0} validationMessage={errors.reasonCode}>
            <Dropdown
              value={selectedReason ? selectedReason.name : ''}
              selectedOptions={input.reasonCode ? [input.reasonCode] : []}
              onOptionSelect={(_, data) => change({ reasonCode: data.optionValue ?? '' })}
              placeholder="Choose a reason"
            >
              {(reasons ?? []).map((r) => (
                <Option key={r.id} value={r.code} text={r.name}>
                  {r.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="Note">
            <Textarea value={input.note} onChange={(_, data) => change({ note: data.value })} resize="vertical" />
          </Field>
          <div>
            <Button type="submit" appearance="primary">
              Save adjustment
            </Button>
          </div>
        </form>
      </section>
      <RecentTransactions db={db} products={products ?? []} />
    </div>
  );
}
