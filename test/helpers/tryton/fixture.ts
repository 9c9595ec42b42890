/**
 * The smallest Tryton company that can buy and receive, made through our own
 * RPC client (so the fixture exercises it too). Steps and payloads:
 * ../shared/notes/tryton.md "A minimal company that can buy and receive".
 *
 *   const rpc = new TrytonRpc({ url: tryton.url, ... });
 *   const company = await buildPurchasingCompany(rpc);
 *   const po = await createConfirmedPurchase(rpc, company, [{ quantity: 5, unitPrice: units('2.5') }]);
 *
 * RPC `create` runs no on_change, so every value the UI would default
 * (addresses, units, invoice method) is given explicitly.
 */
import type { Units } from '../../../shared/decimal.js';
import type { TrytonRpc } from '../../../server/erp/adapters/tryton/rpc.js';
import { ErpDecimal, type ErpValue } from '../../../server/erp/values.js';

export interface PurchasingCompany {
  currencyId: number;
  companyPartyId: number;
  companyId: number;
  supplierId: number;
  supplierAddressId: number;
  warehouseId: number;
  inputLocationId: number;
  storageLocationId: number;
  lostFoundLocationId: number;
  supplierLocationId: number;
  /** product.uom "Unit" (symbol u). */
  unitId: number;
  productTemplateId: number;
  productId: number;
  productCode: string;
}

export interface PurchaseLineSpec {
  /** Tryton 6.0 purchase and move quantities are floats (rounded to the unit's digits); prices are Decimals. */
  quantity: number;
  unitPrice: Units;
  productId?: number;
}

export interface ConfirmedPurchase {
  purchaseId: number;
  number: string;
  state: string;
  lineIds: number[];
  /** The incoming stock moves confirming created, by line. */
  moveIdsByLine: Map<number, number[]>;
}

export async function buildPurchasingCompany(rpc: TrytonRpc, options: { productCode?: string } = {}): Promise<PurchasingCompany> {
  const [currencyId] = ids(
    await rpc.model('currency.currency', 'create', [[{ name: 'Euro', code: 'EUR', symbol: '€', rounding: ErpDecimal.parse('0.01'), digits: 2 }]]),
  );
  const [companyPartyId] = ids(await rpc.model('party.party', 'create', [[{ name: 'Fieldstock Test Company' }]]));
  const [companyId] = ids(await rpc.model('company.company', 'create', [[{ party: companyPartyId, currency: currencyId }]]));

  // The admin must belong to the company and have it as current company; the context then carries it.
  const [adminId] = ids(await rpc.model('res.user', 'search', [[['login', '=', 'admin']]]));
  await rpc.model('res.user', 'write', [[adminId], { companies: [['add', [companyId]]], company: companyId }]);
  await rpc.refreshContext();

  const [supplierId] = ids(
    await rpc.model('party.party', 'create', [[{ name: 'Acme Supplies', addresses: [['create', [{ street: '1 Main Street', city: 'Springfield' }]]] }]]),
  );
  const [supplier] = rows(await rpc.model('party.party', 'read', [[supplierId], ['addresses']]));
  const [supplierAddressId] = ids(supplier?.addresses ?? null);

  const [warehouse] = rows(
    await rpc.model('stock.location', 'search_read', [[['type', '=', 'warehouse']], 0, 1, [['id', 'ASC']], ['input_location', 'storage_location']]),
  );
  const [lostFoundLocationId] = ids(await rpc.model('stock.location', 'search', [[['type', '=', 'lost_found']], 0, 1, [['id', 'ASC']]]));
  const [supplierLocationId] = ids(await rpc.model('stock.location', 'search', [[['type', '=', 'supplier']], 0, 1, [['id', 'ASC']]]));
  const [unitId] = ids(await rpc.model('product.uom', 'search', [[['symbol', '=', 'u']], 0, 1, [['id', 'ASC']]]));

  const productCode = options.productCode ?? 'FS-WIDGET-1';
  const [productTemplateId] = ids(
    await rpc.model('product.template', 'create', [
      [
        {
          name: 'Widget',
          type: 'goods',
          default_uom: unitId,
          purchasable: true,
          purchase_uom: unitId,
          list_price: ErpDecimal.parse('10'),
          // Tryton 6.0 computes product.code from the template's prefix and this suffix.
          products: [['create', [{ suffix_code: productCode, cost_price: ErpDecimal.parse('5') }]]],
        },
      ],
    ]),
  );
  const [template] = rows(await rpc.model('product.template', 'read', [[productTemplateId], ['products']]));
  const [productId] = ids(template?.products ?? null);

  return {
    currencyId,
    companyPartyId,
    companyId,
    supplierId,
    supplierAddressId,
    warehouseId: id(warehouse?.id),
    inputLocationId: id(warehouse?.input_location),
    storageLocationId: id(warehouse?.storage_location),
    lostFoundLocationId,
    supplierLocationId,
    unitId,
    productTemplateId,
    productId,
    productCode,
  };
}

/** A purchase from the fixture's supplier, quoted and confirmed (state `processing`, incoming moves created). */
export async function createConfirmedPurchase(rpc: TrytonRpc, company: PurchasingCompany, lines: readonly PurchaseLineSpec[], options: { reference?: string } = {}): Promise<ConfirmedPurchase> {
  const [purchaseId] = ids(
    await rpc.model('purchase.purchase', 'create', [
      [
        {
          party: company.supplierId,
          invoice_address: company.supplierAddressId,
          // The default ("order") needs a chart of accounts, which this company does not have.
          invoice_method: 'manual',
          warehouse: company.warehouseId,
          ...(options.reference ? { reference: options.reference } : {}),
          lines: [
            [
              'create',
              lines.map((line, index) => ({
                type: 'line',
                product: line.productId ?? company.productId,
                quantity: line.quantity,
                unit: company.unitId,
                unit_price: ErpDecimal.fromUnits(line.unitPrice),
                description: `Line ${index + 1}`,
              })),
            ],
          ],
        },
      ],
    ]),
  );
  await rpc.model('purchase.purchase', 'quote', [[purchaseId]]);
  await rpc.model('purchase.purchase', 'confirm', [[purchaseId]]);

  const [purchase] = rows(await rpc.model('purchase.purchase', 'read', [[purchaseId], ['number', 'state', 'lines']]));
  const lineIds = ids(purchase?.lines ?? null);
  const lineRows = rows(await rpc.model('purchase.line', 'read', [lineIds, ['moves']]));
  const moveIdsByLine = new Map(lineRows.map((row) => [id(row.id), ids(row.moves ?? null)]));
  return { purchaseId, number: String(purchase?.number), state: String(purchase?.state), lineIds, moveIdsByLine };
}

function ids(value: ErpValue): number[] & { 0: number } {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number')) throw new Error(`expected Tryton ids, got ${JSON.stringify(value)}`);
  return value as number[] & { 0: number };
}

function rows(value: ErpValue): Record<string, ErpValue>[] {
  if (!Array.isArray(value)) throw new Error(`expected Tryton records, got ${JSON.stringify(value)}`);
  return value as Record<string, ErpValue>[];
}

function id(value: ErpValue | undefined): number {
  if (typeof value !== 'number') throw new Error(`expected a Tryton id, got ${JSON.stringify(value)}`);
  return value;
}
