import { Badge, Button, makeStyles, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, Title3, tokens } from '@fluentui/react-components';
import { useMemo, type ReactNode } from 'react';
import type { DeepReadonly } from 'rxdb';
import type { PurchaseOrder } from '../../shared/collections.js';
import { useUi } from '../app/ui-store.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import type { ActiveSession } from '../session/controller.js';
import { SyncState } from '../transactions/SyncState.js';
import { useProductMap } from '../transactions/use-move-data.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import type { AttentionItem } from './attention-items.js';
import { describeItem, type ItemLookups } from './describe-item.js';
import { useAttention } from './use-attention.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1000px' },
  reason: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

/**
 * Everything the server rejected that this user can see, with the reason,
 * newest first. There is deliberately no "dismiss": a rejected move is stock
 * that did not move, so it stays visible (here and on every device of the
 * same warehouses) until a correcting document is saved. Below them, what
 * the ERP refused after Fieldstock posted it, which clears by itself.
 */
export function AttentionScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const styles = useStyles();
  const { db } = session;
  const attention = useAttention(db);
  const products = useProductMap(db);
  const warehouses = useWarehouses(db);
  const orders = useLiveQuery(() => plain$(db.purchaseOrders.find()), [db]);
  const openMove = useUi((s) => s.openMove);
  const openReceive = useUi((s) => s.openReceive);
  const openTrace = useUi((s) => s.openTrace);
  // Only administrators have the ERP screen: the others get no "Trace".
  const trace = session.user?.role === 'admin' ? (item: AttentionItem) => openTrace({ collection: item.kind === 'transaction' ? 'inventoryTransactions' : 'receipts', id: item.id }) : undefined;

  const lookups = useMemo<ItemLookups | undefined>(
    () =>
      products && warehouses && orders
        ? { products, warehouses: new Map(warehouses.map((w) => [w.id, w])), purchaseOrders: new Map<string, DeepReadonly<PurchaseOrder>>(orders.map((o) => [o.id, o])) }
        : undefined,
    [products, warehouses, orders],
  );

  const fix = (item: AttentionItem) => {
    if (item.kind === 'transaction') openMove({ type: item.doc.type, correctsId: item.id });
    // Receipts are made on the Receive screen: it opens the order with the rejected receipt's quantities.
    else openReceive({ purchaseOrderId: item.doc.purchaseOrderId, correctsId: item.id });
  };

  return (
    <section aria-labelledby="attention-title" className={styles.layout}>
      <Title2 as="h2" id="attention-title">
        Needs attention
      </Title2>
      {!attention || !lookups ? (
        <Spinner label="Loading…" />
      ) : (
        <>
          {attention.open.length === 0 && attention.refusedByErp.length === 0 && (
            <Text as="p" role="status">
              Nothing needs attention. When the server rejects a move or a receipt, it appears here with the reason so that you can fix it.
            </Text>
          )}
          {attention.open.length > 0 && (
            <>
              <Text as="p">
                The server refused these, so stock did not move. “Fix” opens the form with the same values: saving makes a new document that corrects the rejected one, which then
                leaves this list on every device.
              </Text>
              <Table aria-label="Rejected documents" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>When</TableHeaderCell>
                    <TableHeaderCell>What</TableHeaderCell>
                    <TableHeaderCell>Where</TableHeaderCell>
                    <TableHeaderCell>Quantity</TableHeaderCell>
                    <TableHeaderCell>Reason</TableHeaderCell>
                    <TableHeaderCell>Action</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attention.open.map((item) => {
                    const text = describeItem(item, lookups);
                    return (
                      <TableRow key={item.id}>
                        <TableCell>{new Date(item.at).toLocaleString()}</TableCell>
                        <TableCell>{`${text.kind}: ${text.what}`}</TableCell>
                        <TableCell>{text.where}</TableCell>
                        <TableCell>{text.quantity}</TableCell>
                        <TableCell>
                          <Reason error={item.error} color="danger">
                            {item.kind === 'receipt' && <Text size={200}>Fix opens the order on Receive with these quantities, to change and save again.</Text>}
                          </Reason>
                        </TableCell>
                        <TableCell>
                          <Button aria-label={`Fix ${text.kind.toLowerCase()} ${text.what}`} onClick={() => fix(item)}>
                            Fix
                          </Button>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </>
          )}
          {attention.refusedByErp.length > 0 && <RefusedByErp items={attention.refusedByErp} lookups={lookups} onTrace={trace} />}
          {attention.resolved.length > 0 && (
            <section aria-labelledby="resolved-title">
              <Title3 as="h3" id="resolved-title">
                Resolved
              </Title3>
              <Table aria-labelledby="resolved-title" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>When</TableHeaderCell>
                    <TableHeaderCell>What</TableHeaderCell>
                    <TableHeaderCell>Was rejected because</TableHeaderCell>
                    <TableHeaderCell>Resolved by</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attention.resolved.map(({ item, by }) => {
                    const text = describeItem(item, lookups);
                    return (
                      <TableRow key={item.id}>
                        <TableCell>{new Date(item.at).toLocaleString()}</TableCell>
                        <TableCell>{`${text.kind}: ${text.what} ${text.quantity} (${text.where})`}</TableCell>
                        <TableCell>{item.error.message}</TableCell>
                        <TableCell>
                          <Text size={200} font="monospace">{`resolved by ${by.id}`}</Text> <SyncState doc={by} />
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </section>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Posted documents the ERP refused: listed apart from rejections, with no
 * "Fix", because nothing is wrong on this device: the stock moved here, and
 * the ERP takes it once its data is fixed and an admin retries. An admin
 * gets "Trace": the ERP screen's trace of the document, to see which ERP
 * line refused it and which outbox item to retry.
 */
function RefusedByErp({ items, lookups, onTrace }: { items: readonly AttentionItem[]; lookups: ItemLookups; onTrace: ((item: AttentionItem) => void) | undefined }) {
  const styles = useStyles();
  return (
    <section aria-labelledby="refused-title" className={styles.layout}>
      <Title3 as="h3" id="refused-title">
        Refused by the ERP
      </Title3>
      <Text as="p">
        These are posted: the stock did move in Fieldstock. The ERP refused them, so it does not show them yet. Nothing needs fixing on this device: someone fixes the data in
        the ERP (the product, the purchase order), then an admin retries the delivery, and the item leaves this list by itself.
      </Text>
      <Table aria-labelledby="refused-title" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>When</TableHeaderCell>
            <TableHeaderCell>What</TableHeaderCell>
            <TableHeaderCell>Where</TableHeaderCell>
            <TableHeaderCell>Quantity</TableHeaderCell>
            <TableHeaderCell>The ERP said</TableHeaderCell>
            {onTrace && <TableHeaderCell>Action</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((item) => {
            const text = describeItem(item, lookups);
            return (
              <TableRow key={item.id}>
                <TableCell>{new Date(item.at).toLocaleString()}</TableCell>
                <TableCell>{`${text.kind}: ${text.what}`}</TableCell>
                <TableCell>{text.where}</TableCell>
                <TableCell>{text.quantity}</TableCell>
                <TableCell>
                  <Reason error={item.error} color="important" />
                </TableCell>
                {onTrace && (
                  <TableCell>
                    <Button aria-label={`Trace ${text.kind.toLowerCase()} ${text.what} to the ERP`} onClick={() => onTrace(item)}>
                      Trace
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </section>
  );
}

/** A refusal's message for people, its code as a badge (for support), and any advice after them. */
function Reason({ error, color, children }: { error: { code: string; message: string }; color: 'danger' | 'important'; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <span className={styles.reason}>
      <Text>{error.message}</Text>
      <Text size={200}>
        <Badge appearance="outline" color={color} size="small">
          {error.code}
        </Badge>
      </Text>
      {children}
    </span>
  );
}
