import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { collectionSchemas, type CollectionName } from '../../shared/collections.js';
import { primaryKeyOf, wireSchemaOf, type RxLikeSchema } from '../../shared/validation.js';
import type { Role, SessionUser } from '../../shared/wire.js';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats?: string[]) => Ajv;

/** Who may push rows to a collection at all (row-level checks come later). */
export type WriteAccess = 'admin' | 'signed-in' | 'backend';

export interface CollectionPolicy {
  name: string;
  primaryKey: string;
  validate: ValidateFunction;
  /** 'all': every signed-in user reads it; 'warehouse': only users scoped to its warehouses. */
  readScope: 'all' | 'warehouse';
  writeAccess: WriteAccess;
  /** The warehouses a document belongs to (read scope). */
  scopeOf(doc: Record<string, unknown>): [string | null, string | null];
  /** Documents the backend posts (status, error, journalId are its to set). */
  posting: boolean;
}

const WRITE_ROLES: Record<WriteAccess, readonly Role[]> = {
  admin: ['admin'],
  'signed-in': ['technician', 'warehouse', 'admin', 'integration'],
  backend: [],
};

export function canWrite(policy: CollectionPolicy, user: SessionUser): boolean {
  return WRITE_ROLES[policy.writeAccess].includes(user.role);
}

function warehouseScope(doc: Record<string, unknown>): [string | null, string | null] {
  const a = typeof doc.warehouseId === 'string' ? doc.warehouseId : null;
  const b = typeof doc.toWarehouseId === 'string' ? doc.toWarehouseId : null;
  return [a, b];
}

const noScope = (): [null, null] => [null, null];

export function createAjv(): Ajv {
  // Strict: no coercion, no removal of unknown properties, every error reported.
  const ajv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false });
  addFormats(ajv, ['date-time']);
  return ajv;
}

export interface ExtraCollection {
  name: string;
  schema: RxLikeSchema;
  readScope?: 'all' | 'warehouse';
  writeAccess?: WriteAccess;
}

/**
 * The replication layer serves any registered collection; Fieldstock's nine
 * are registered here with their access rules. Tests (RxDB's conformance
 * suite) register their own.
 */
export function createRegistry(extra: ExtraCollection[] = []): Map<string, CollectionPolicy> {
  const ajv = createAjv();
  const rules: Record<CollectionName, Pick<CollectionPolicy, 'readScope' | 'writeAccess' | 'posting'>> = {
    warehouses: { readScope: 'all', writeAccess: 'admin', posting: false },
    products: { readScope: 'all', writeAccess: 'admin', posting: false },
    referenceData: { readScope: 'all', writeAccess: 'admin', posting: false },
    customerAssets: { readScope: 'all', writeAccess: 'signed-in', posting: false },
    purchaseOrders: { readScope: 'warehouse', writeAccess: 'admin', posting: false },
    inventory: { readScope: 'warehouse', writeAccess: 'backend', posting: false },
    journals: { readScope: 'warehouse', writeAccess: 'backend', posting: false },
    receipts: { readScope: 'warehouse', writeAccess: 'signed-in', posting: true },
    inventoryTransactions: { readScope: 'warehouse', writeAccess: 'signed-in', posting: true },
  };
  const registry = new Map<string, CollectionPolicy>();
  for (const [name, schema] of Object.entries(collectionSchemas) as [CollectionName, RxLikeSchema][]) {
    const rule = rules[name];
    registry.set(name, {
      name,
      primaryKey: primaryKeyOf(schema),
      validate: ajv.compile(wireSchemaOf(schema)),
      scopeOf: rule.readScope === 'warehouse' ? warehouseScope : noScope,
      ...rule,
    });
  }
  for (const c of extra) {
    const readScope = c.readScope ?? 'all';
    registry.set(c.name, {
      name: c.name,
      primaryKey: primaryKeyOf(c.schema),
      validate: ajv.compile(wireSchemaOf(c.schema)),
      readScope,
      writeAccess: c.writeAccess ?? 'signed-in',
      scopeOf: readScope === 'warehouse' ? warehouseScope : noScope,
      posting: false,
    });
  }
  return registry;
}

/** Ajv's errors as one sentence for people. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath || '(document)';
      if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${String(e.params.additionalProperty)}"`;
      return `${where} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
