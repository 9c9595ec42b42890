/**
 * A small replication client for ledger tests: pushes new source documents,
 * and keeps a local copy of collections by pulling from its checkpoint, as
 * RxDB does. Posted/rejected master states and on hand are read from what it
 * pulled (docs/api.md: push answers conflicts only; the result comes by pull).
 */
import { expect } from 'vitest';
import { httpRequest } from './fault-proxy.js';
import { levelKey, unitsOf } from './ledger-audit.js';

type Doc = Record<string, unknown>;

export interface JournalLineDoc {
  lineNumber: number;
  warehouseId: string;
  productId: string;
  quantity: number;
  requestedQuantity: number;
}

export interface JournalDoc {
  id: string;
  sourceId: string;
  occurredAt: string;
  lines: JournalLineDoc[];
}

export class LedgerClient {
  private readonly copies = new Map<string, { checkpoint: unknown; docs: Map<string, Doc> }>();

  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** Pushes new documents; a first push of new ids answers no conflicts. */
  async pushNew(collection: string, docs: Doc[]): Promise<void> {
    const r = await httpRequest<Doc[]>(this.baseUrl, {
      method: 'POST',
      path: `/api/v1/replication/${collection}/push`,
      token: this.token,
      body: docs.map((d) => ({ newDocumentState: d })),
    });
    expect(r).toEqual({ status: 200, body: [] });
  }

  /** Pushes one new document and returns its master state as pulled afterwards. */
  async post(collection: string, doc: Doc): Promise<Doc> {
    await this.pushNew(collection, [doc]);
    const master = await this.get(collection, String(doc.id));
    expect(master, `${collection} ${String(doc.id)} came back by pull`).toBeDefined();
    return master as Doc;
  }

  /** Pulls what changed since this client's checkpoint into its copy. */
  async sync(collection: string): Promise<Map<string, Doc>> {
    let copy = this.copies.get(collection);
    if (!copy) {
      copy = { checkpoint: null, docs: new Map() };
      this.copies.set(collection, copy);
    }
    for (;;) {
      const qs = new URLSearchParams({ limit: '1000' });
      if (copy.checkpoint) qs.set('checkpoint', JSON.stringify(copy.checkpoint));
      const r = await httpRequest<{ documents: Doc[]; checkpoint: unknown }>(this.baseUrl, {
        method: 'GET',
        path: `/api/v1/replication/${collection}/pull?${qs.toString()}`,
        token: this.token,
      });
      expect(r.status).toBe(200);
      for (const d of r.body.documents) copy.docs.set(String(d.id), d);
      copy.checkpoint = r.body.checkpoint;
      if (r.body.documents.length < 1000) return copy.docs;
    }
  }

  async get(collection: string, id: string): Promise<Doc | undefined> {
    return (await this.sync(collection)).get(id);
  }

  /** The journals written for one source document (exactly one when it posted). */
  async journalsOf(sourceId: string): Promise<JournalDoc[]> {
    return [...(await this.sync('journals')).values()].filter((j) => j.sourceId === sourceId) as unknown as JournalDoc[];
  }

  /** The only journal of a posted source document. */
  async journalOf(sourceId: string): Promise<JournalDoc> {
    const journals = await this.journalsOf(sourceId);
    expect(journals, `journals of ${sourceId}`).toHaveLength(1);
    return journals[0] as JournalDoc;
  }

  /** On hand of one level from the pulled inventory documents, in integer units (0 without a document). */
  async onHandUnits(warehouseId: string, productId: string): Promise<number> {
    const docs = await this.sync('inventory');
    const doc = [...docs.values()].find((d) => levelKey(String(d.warehouseId), String(d.productId)) === levelKey(warehouseId, productId));
    return doc ? unitsOf(doc.onHand) : 0;
  }

  async onHand(warehouseId: string, productId: string): Promise<number> {
    return (await this.onHandUnits(warehouseId, productId)) / 10_000;
  }
}
