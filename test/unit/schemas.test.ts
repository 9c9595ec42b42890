// The server's wire validators (createRegistry + wireSchemaOf) for the nine replicated collections.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, collectionSchemas, type CollectionName } from '../../shared/collections.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import { wireSchemaOf, type RxLikeSchema } from '../../shared/validation.js';
import { demoCustomerAssets, demoProducts, demoPurchaseOrders, demoReferenceData, demoWarehouses } from '../../server/demo/data.js';
import { createRegistry, describeErrors, type CollectionPolicy } from '../../server/replication/registry.js';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object (as in registry.ts).
const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats?: string[]) => Ajv;

type Doc = Record<string, unknown>;

/** The collection list of the HTTP contract (API.md, "Replication"). */
const CONTRACT_COLLECTIONS = [
  'warehouses',
  'products',
  'inventory',
  'purchaseOrders',
  'receipts',
  'inventoryTransactions',
  'journals',
  'customerAssets',
  'referenceData',
];

function first<T>(items: readonly T[], what: string): T {
  const item = items[0];
  if (item === undefined) throw new Error(`demo data has no ${what}`);
  return item;
}

const warehouse = first(demoWarehouses, 'warehouse');
const product = first(demoProducts, 'product');
const purchaseOrder = first(demoPurchaseOrders(), 'purchase order');
const poLine = first(purchaseOrder.lines, 'purchase order line');
const unitRow = first(
  demoReferenceData.filter((r) => r.kind === 'unit' && r.factor !== undefined),
  'unit with a factor',
);

interface Case {
  valid: Doc;
  /** The same document with one field of the wrong JSON type. */
  wrongType(doc: Doc): void;
  /** The same document with a value Ajv would accept if it coerced types ("5" for 5, "true" for true). */
  coercible(doc: Doc): void;
}

function lines(doc: Doc): Doc[] {
  return doc.lines as Doc[];
}

function firstLine(doc: Doc): Doc {
  return first(lines(doc), 'line');
}

const cases: Record<CollectionName, Case> = {
  warehouses: {
    valid: { ...warehouse, _deleted: false },
    wrongType: (d) => (d.allowNegativeStock = 'yes'),
    coercible: (d) => (d.latitude = '47.5'),
  },
  products: {
    valid: { ...product, _deleted: false },
    wrongType: (d) => (d.barcodes = 'not-an-array'),
    coercible: (d) => (d.active = 'true'),
  },
  inventory: {
    valid: {
      id: inventoryId(warehouse.id, product.id),
      warehouseId: warehouse.id,
      productId: product.id,
      onHand: 12.5,
      onOrder: 3,
      ordered: 0,
      _deleted: false,
    },
    wrongType: (d) => (d.onHand = { value: 1 }),
    coercible: (d) => (d.onHand = '5'),
  },
  purchaseOrders: {
    valid: { ...purchaseOrder, lines: purchaseOrder.lines.map((l) => ({ ...l })), _deleted: false },
    wrongType: (d) => (d.lines = {}),
    coercible: (d) => (firstLine(d).quantityOrdered = '5'),
  },
  receipts: {
    valid: {
      id: '5f1c6a8e-7d5b-4a53-9a57-1d3e2b4c5d6e',
      purchaseOrderId: purchaseOrder.id,
      warehouseId: purchaseOrder.warehouseId,
      receivedAt: '2026-11-20T09:30:00.000Z',
      lines: [{ lineNumber: poLine.lineNumber, productId: poLine.productId, quantity: 2 }],
      status: 'pending',
      _deleted: false,
    },
    wrongType: (d) => (d.status = 1),
    coercible: (d) => (firstLine(d).quantity = '5'),
  },
  inventoryTransactions: {
    valid: {
      id: '0b6f2a5e-3c1d-4e8f-9a7b-6c5d4e3f2a1b',
      type: 'adjustment',
      warehouseId: warehouse.id,
      productId: product.id,
      quantity: -1.25,
      reasonCode: 'DAMAGED',
      externalReference: { category: 'work-order', id: 'WO-77' },
      note: 'dropped from the van',
      occurredAt: '2026-11-20T09:30:00.000Z',
      status: 'pending',
      _deleted: false,
    },
    wrongType: (d) => (d.externalReference = 'WO-77'),
    coercible: (d) => (d.quantity = '5'),
  },
  journals: {
    valid: {
      id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
      kind: 'posting',
      journalName: 'adjustment',
      status: 'posted',
      sourceCollection: 'inventoryTransactions',
      sourceId: '0b6f2a5e-3c1d-4e8f-9a7b-6c5d4e3f2a1b',
      warehouseId: warehouse.id,
      postedAt: '2026-11-20T09:31:00.000Z',
      occurredAt: '2026-11-20T09:30:00.000Z',
      lines: [{ lineNumber: 1, warehouseId: warehouse.id, productId: product.id, quantity: -1.25, requestedQuantity: -1.25 }],
      _deleted: false,
    },
    wrongType: (d) => (firstLine(d).lineNumber = 1.5),
    coercible: (d) => (firstLine(d).quantity = '-1.25'),
  },
  customerAssets: {
    valid: { ...first(demoCustomerAssets, 'customer asset'), _deleted: false },
    wrongType: (d) => (d.name = 42),
    coercible: (d) => (d.active = 'true'),
  },
  referenceData: {
    valid: { ...unitRow, _deleted: false },
    wrongType: (d) => (d.code = ['EA']),
    coercible: (d) => (d.factor = '12'),
  },
};

const registry = createRegistry();

function policyOf(name: string): CollectionPolicy {
  const policy = registry.get(name);
  if (!policy) throw new Error(`collection ${name} is not registered`);
  return policy;
}

function variant(doc: Doc, change: (d: Doc) => void): Doc {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

describe('collection names', () => {
  it('the nine registered collections are exactly those of the HTTP contract', () => {
    expect([...COLLECTION_NAMES].sort()).toEqual([...CONTRACT_COLLECTIONS].sort());
    expect([...registry.keys()].sort()).toEqual([...CONTRACT_COLLECTIONS].sort());
    for (const name of CONTRACT_COLLECTIONS) expect(policyOf(name).primaryKey).toBe('id');
  });
});

describe.each(COLLECTION_NAMES)('the %s wire validator', (name) => {
  const policy = policyOf(name);
  const c = cases[name];

  it('accepts a valid demo document with _deleted:false', () => {
    const ok = policy.validate(c.valid);
    expect(ok, describeErrors(policy.validate)).toBe(true);
  });

  it('accepts the same document as a tombstone (_deleted:true)', () => {
    expect(policy.validate({ ...c.valid, _deleted: true })).toBe(true);
  });

  it('rejects an unknown top-level property and names it', () => {
    expect(policy.validate({ ...c.valid, color: 'red' })).toBe(false);
    expect(describeErrors(policy.validate)).toContain('unknown property "color"');
  });

  it('rejects RxDB bookkeeping fields on the wire', () => {
    expect(policy.validate({ ...c.valid, _rev: '1-abc' })).toBe(false);
  });

  it('rejects a field of the wrong type', () => {
    expect(policy.validate(variant(c.valid, c.wrongType))).toBe(false);
  });

  it('does not coerce types: a string where a number or boolean belongs is rejected', () => {
    expect(policy.validate(variant(c.valid, c.coercible))).toBe(false);
  });

  it('rejects the document when any required field, _deleted included, is missing', () => {
    const schema = collectionSchemas[name] as RxLikeSchema;
    const required = [...(schema.required ?? []), '_deleted'];
    expect(required.length).toBeGreaterThan(1);
    for (const field of required) {
      expect(field in c.valid, `${field} is in the sample`).toBe(true);
      const { [field]: _removed, ...rest } = c.valid;
      expect(policy.validate(rest), `without ${field}`).toBe(false);
    }
  });

  it('does not modify the document it validates', () => {
    const doc = variant(c.valid, c.coercible);
    const before = structuredClone(doc);
    policy.validate(doc);
    expect(doc).toEqual(before);
  });
});

describe('nested and format rules', () => {
  it('rejects an unknown property inside an embedded purchase order line', () => {
    const policy = policyOf('purchaseOrders');
    expect(policy.validate(variant(cases.purchaseOrders.valid, (d) => (firstLine(d).discount = 5)))).toBe(false);
  });

  it('rejects a transaction whose occurredAt is not an ISO date-time', () => {
    const policy = policyOf('inventoryTransactions');
    expect(policy.validate({ ...cases.inventoryTransactions.valid, occurredAt: 'yesterday' })).toBe(false);
    expect(policy.validate({ ...cases.inventoryTransactions.valid, occurredAt: '2026-11-20T09:30:00+02:00' })).toBe(true);
  });

  it('rejects a transaction type or status outside its enum', () => {
    const policy = policyOf('inventoryTransactions');
    expect(policy.validate({ ...cases.inventoryTransactions.valid, type: 'theft' })).toBe(false);
    expect(policy.validate({ ...cases.inventoryTransactions.valid, status: 'done' })).toBe(false);
  });

  it('rejects a receipt without lines', () => {
    const policy = policyOf('receipts');
    expect(policy.validate({ ...cases.receipts.valid, lines: [] })).toBe(false);
  });

  it('rejects an empty id', () => {
    const policy = policyOf('products');
    expect(policy.validate({ ...cases.products.valid, id: '' })).toBe(false);
  });
});

describe('wireSchemaOf', () => {
  it.each(COLLECTION_NAMES)('strips the RxDB-only keywords of %s and adds a required boolean _deleted', (name) => {
    const schema = collectionSchemas[name] as RxLikeSchema;
    const wire = wireSchemaOf(schema);
    expect(wire).not.toHaveProperty('version');
    expect(wire).not.toHaveProperty('primaryKey');
    expect(wire).not.toHaveProperty('indexes');
    expect(wire.additionalProperties).toBe(false);
    expect(wire.type).toBe('object');
    expect(wire.required).toContain('_deleted');
    expect((wire.properties as Record<string, unknown>)._deleted).toEqual({ type: 'boolean' });
    // The RxDB schema itself is left as it was.
    expect(schema).toHaveProperty('primaryKey', 'id');
    expect(schema.properties).not.toHaveProperty('_deleted');
    expect(schema.required ?? []).not.toContain('_deleted');
  });

  it.each(COLLECTION_NAMES)('leaves %s with only keywords a strict JSON Schema validator knows', (name) => {
    // Strict Ajv throws on any unknown keyword, so any RxDB leftover would fail to compile.
    const strictAjv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
    addFormats(strictAjv, ['date-time']);
    expect(() => strictAjv.compile(wireSchemaOf(collectionSchemas[name] as RxLikeSchema))).not.toThrow();
    expect(() => strictAjv.compile(collectionSchemas[name] as RxLikeSchema)).toThrow();
  });

  it('serves a collection a test registers, with an object-form primary key', () => {
    const extra = createRegistry([
      {
        name: 'humans',
        schema: {
          version: 0,
          primaryKey: { key: 'passportId' },
          type: 'object',
          properties: { passportId: { type: 'string', maxLength: 100 }, age: { type: 'integer' } },
          required: ['passportId'],
          indexes: ['age'],
        },
      },
    ]);
    const humans = extra.get('humans');
    expect(humans?.primaryKey).toBe('passportId');
    expect(humans?.validate({ passportId: 'p1', age: 3, _deleted: false })).toBe(true);
    expect(humans?.validate({ passportId: 'p1', age: '3', _deleted: false })).toBe(false);
    expect(humans?.validate({ passportId: 'p1', _deleted: false, extra: 1 })).toBe(false);
    expect(extra.size).toBe(CONTRACT_COLLECTIONS.length + 1);
  });
});
