/**
 * Types of the declarative ERP entity maps, in one place: the validated form
 * the loader produces (what the YAML files say, checked against the collection
 * schemas) and what the engine returns.
 *
 * Two vocabularies meet here. "Local" values are Fieldstock document values
 * (JSON as replicated). "ERP" values are the adapter-neutral ErpValues of
 * server/erp/values.ts: exact decimals (ErpDecimal), dates and datetimes as
 * classes, relations as the ERP's own reference (for Tryton a record id); each
 * adapter turns them into its wire form (Tryton's typed `__class__` values).
 */
import type { CollectionName } from '../../../shared/collections.js';
import type { Direction } from '../../../shared/erp/direction.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { ErpValue } from '../values.js';

export type { ErpValue };
/** An ERP record's fields as the engine reads and builds them. */
export type ErpFields = { [field: string]: ErpValue };
/** A local document as the engine reads it (any collection's document type fits). */
export type LocalDoc = { readonly [field: string]: unknown };
/** Local fields the engine builds; a field present as undefined is cleared. */
export type LocalFields = { [field: string]: JsonValue | undefined };

/** How the live sync settles a record changed on both sides since the last sync. */
export type ConflictPolicy = 'erp-wins' | 'app-wins' | 'newest-wins';
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['erp-wins', 'app-wins', 'newest-wins'];

/** One side of a map: the app's documents or the ERP's records. */
export type Side = 'local' | 'erp';

/** A scalar that may appear in config (filter values, value maps, defaults). */
export type Scalar = string | number | boolean | null;

/** A JSON value as either side carries it. */
export type JsonValue = Scalar | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [key: string]: JsonValue };

/** What a local field is, read from its collection schema. */
export interface LocalFieldInfo {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  required: boolean;
  enum?: readonly Scalar[];
  /** `date-time` for timestamp fields. */
  format?: string;
  /** For arrays of objects (purchase order lines): the item's fields. */
  items?: ReadonlyMap<string, LocalFieldInfo>;
}

/** The closed set of built-in transforms; config names them, never code. */
export type TransformName = 'trim' | 'upper' | 'lower' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'prefix' | 'suffix' | 'default';
export const TRANSFORM_NAMES: readonly TransformName[] = ['trim', 'upper', 'lower', 'decimal', 'date', 'datetime', 'boolean', 'prefix', 'suffix', 'default'];

export type TransformSpec =
  | { name: 'trim' | 'upper' | 'lower' | 'date' | 'datetime' | 'boolean' }
  /** ERP side an exact ErpDecimal, or `as: number` for ERP float fields (Tryton 6.0 quantities); `places`: most decimals the ERP field takes. */
  | { name: 'decimal'; places?: number; as: 'text' | 'number' }
  | { name: 'prefix' | 'suffix'; text: string }
  /** A blank value (missing, null, empty text) becomes `local`/`erp` on that side of this step. */
  | { name: 'default'; local?: Scalar; erp?: Scalar };

export interface ValuePair {
  local: Scalar;
  erp: Scalar;
}

/** Translates between the two vocabularies (Tryton purchase state → our PO status). */
export interface ValueMap {
  pairs: readonly ValuePair[];
  /** Used when a value is blank or not listed: `local` when reading from the ERP, `erp` when writing to it. */
  default?: { local?: Scalar; erp?: Scalar };
}

export interface FieldMap {
  local: string;
  erp: string;
  direction: Direction;
  transforms: readonly TransformSpec[];
  values?: ValueMap;
  /** Name of the map whose records this field references (a warehouse id ↔ the ERP warehouse). */
  ref?: string;
  /** The local field as the schema describes it. */
  info: LocalFieldInfo;
}

export type FilterOperator = 'equals' | 'in' | 'notIn';

export interface FieldFilter {
  field: string;
  op: FilterOperator;
  values: readonly Scalar[];
}

export interface Filters {
  local: readonly FieldFilter[];
  erp: readonly FieldFilter[];
}

/** What a map and its nested maps (purchase order lines) have in common. */
export interface MapBody {
  model: string;
  /** Local field names forming the integration key, in order; each is a `both` field map. */
  key: readonly string[];
  fields: readonly FieldMap[];
  filter: Filters;
  /** Values a record gets only when it is created on that side (fields the other side does not carry). */
  create: { local: JsonRecord; erp: ErpFields };
  children: readonly ChildMap[];
}

/** A nested map for sub-records embedded in the parent document (purchase order lines). */
export interface ChildMap extends MapBody {
  /** The local array field (lines) and the ERP one-to-many field (lines). */
  local: string;
  erp: string;
}

export interface EntityMap extends MapBody {
  /** The file name without extension; other maps refer to it in `ref`. */
  name: string;
  file: string;
  collection: CollectionName;
  enabled: boolean;
  /** Which way records flow (creates and updates); fields flowing the other way are refused at load. */
  direction: Direction;
  conflict: ConflictPolicy;
}

export interface MapSet {
  dir: string;
  /** Every map in the folder, disabled ones included (they are validated too). */
  maps: readonly EntityMap[];
}

/** A problem in a map file: which file, where in it, and what is wrong. */
export interface MapProblem {
  file: string;
  /** Dotted path inside the file, e.g. `fields[2].transforms[0]`; empty for the whole file. */
  path: string;
  /** 1-based line in the file when known. */
  line?: number;
  message: string;
}

/** A record that cannot be mapped: `{ code, message }` plus the field at fault. */
export interface RecordProblem {
  code: ErrorCode;
  field: string;
  message: string;
}

export type MapResult<T> = { ok: true; value: T } | { ok: false; problems: RecordProblem[] };

/**
 * Translates references between the two systems. The live sync implements it
 * over its link table; initial sync over the records it has matched.
 */
export interface RefLookup {
  /** The ERP reference (Tryton: record id) of the record of map `ref` whose local id is `localId`. */
  toErp(ref: string, localId: string): ErpValue | undefined;
  /** The local id of the record of map `ref` that the ERP reference `erpRef` points at. */
  toLocal(ref: string, erpRef: ErpValue): string | undefined;
}

export interface EngineOptions {
  lookup?: RefLookup;
  /** Add the map's `create` values and check required fields: the record is new on the target side. */
  create?: boolean;
}

/** One mapped field whose values disagree between a local document and an ERP record. */
export interface FieldDifference {
  local: string;
  erp: string;
  direction: Direction;
  /** Both values in local terms (the ERP value read back through the map). */
  localValue: ErpValue | undefined;
  erpValue: ErpValue | undefined;
}

export interface ConflictDecision {
  winner: 'app' | 'erp';
  reason: string;
}
