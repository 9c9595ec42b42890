/**
 * Tryton's ErpJournalSink: an ERP journal becomes internal shipments
 * (stock.shipment.internal) whose moves carry exactly our quantities (what
 * each journal name becomes: kinds.ts and plan.ts), created by `create`
 * (lines read created-in-erp, with the shipment and move ids) and done by
 * `post` (lines read posted).
 *
 * Never twice: each shipment carries our reference (ERP journal id, role,
 * line numbers), written in the one Tryton transaction that creates it with
 * its moves. `create` first reads what Tryton holds under the journal's
 * references and creates only the rest, so calling it again (an answer lost
 * to a timeout, a crash before the outcome was recorded, a retry of refused
 * lines) finds instead of creating. No link table is needed: the shipment
 * cannot exist in Tryton without the reference that finds it. Two deliveries
 * of one journal never run at once: the ledger claims lines under its write
 * lock, and this sink serializes calls per journal in the process.
 *
 * Refusals stay with the lines they concern: an unknown product, or Tryton's
 * UserError on one shipment, marks those lines (with Tryton's message) and
 * the others go on; a transport failure fails the step for the journal.
 */
import { formatUnits, toQuantity, type Units } from '../../../../../shared/decimal.js';
import type { ErpJournal } from '../../../../../shared/schemas/journals.js';
import type { ErpJournalSink, SinkCreateResult, SinkDelivery, SinkError, SinkPostResult } from '../../../../ledger/aggregation/sink.js';
import { ErpError, isErpError } from '../../../errors.js';
import { createOnce, KeyedLock } from '../references.js';
import type { TrytonRpc } from '../rpc.js';
import { completeShipments } from './complete.js';
import { readCarried } from './existing.js';
import { formatRecordIds, MOVE_MODEL, parseRecordIds, SHIPMENT_MODEL } from './ids.js';
import { journalKind } from './kinds.js';
import { LookupPerDelivery } from './lookup.js';
import { planShipments, remainingByLine, type CarriedPart, type PlannedShipment } from './plan.js';
import { shipmentReference } from './references.js';
import { resolveTargets } from './targets.js';

export class TrytonJournalSink implements ErpJournalSink {
  readonly name = 'tryton';
  readonly #rpc: TrytonRpc;
  readonly #lookups: LookupPerDelivery;
  readonly #journals = new KeyedLock();
  readonly #references = new KeyedLock();

  constructor(rpc: TrytonRpc) {
    this.#rpc = rpc;
    this.#lookups = new LookupPerDelivery(rpc);
  }

  create(journal: ErpJournal, delivery: SinkDelivery): Promise<SinkCreateResult> {
    return failedStep(() => this.#journals.run(journal.id, () => this.#create(journal, delivery)));
  }

  post(journal: ErpJournal): Promise<SinkPostResult> {
    return failedStep(() => this.#journals.run(journal.id, () => this.#post(journal)));
  }

  async #create(journal: ErpJournal, delivery: SinkDelivery): Promise<SinkCreateResult> {
    const kind = journalKind(journal.journalName, journal.toWarehouseId !== undefined);
    if (!kind.ok) return { ok: false, error: { code: kind.code, message: kind.message } };
    const targets = await resolveTargets(journal, kind.kind, delivery, this.#lookups.for(delivery));
    if (!targets.ok) return targets;
    const { lines, lineErrors } = targets;
    if (lines.length === 0) return { ok: true, lineErrors };

    const before = await readCarried(this.#rpc, journal.id, lines);
    const planned = planShipments(kind.kind, lines, remainingByLine(lines, before));
    for (const shipment of planned) await this.#createOrSplit(journal.id, shipment, lineErrors);

    // The ids we report are what Tryton holds now, read back, not what we meant to create.
    const after = planned.length > 0 ? await readCarried(this.#rpc, journal.id, lines) : before;
    const rest = remainingByLine(lines, after);
    const byLine = new Map<number, CarriedPart[]>();
    for (const part of after) byLine.set(part.lineNumber, [...(byLine.get(part.lineNumber) ?? []), part]);
    const erpJournalIds = new Map<number, string>();
    const erpLineIds = new Map<number, string>();
    for (const line of lines) {
      if (lineErrors.has(line.lineNumber)) continue;
      const parts = byLine.get(line.lineNumber) ?? [];
      const missing = rest.get(line.lineNumber) ?? (0 as Units);
      if (missing !== 0 || parts.length === 0) {
        lineErrors.set(line.lineNumber, {
          code: 'erp-incomplete',
          message: `Tryton holds ${formatUnits((line.quantity - missing) as Units)} of line ${line.lineNumber}'s ${formatUnits(line.quantity)} after delivery; the rest was not created.`,
        });
        continue;
      }
      erpJournalIds.set(line.lineNumber, formatRecordIds(SHIPMENT_MODEL, parts.map((p) => p.shipmentId)));
      erpLineIds.set(line.lineNumber, formatRecordIds(MOVE_MODEL, parts.map((p) => p.moveId)));
    }
    return { ok: true, erpJournalIds, erpLineIds, lineErrors };
  }

  /**
   * Creates the shipment; if Tryton refuses it on business grounds (a
   * quantity finer than the product's unit, an inactive location), each move
   * is tried as a shipment of its own, so the refusal lands on the lines it
   * concerns, with Tryton's message, and the other lines go on.
   */
  async #createOrSplit(journalId: string, shipment: PlannedShipment, lineErrors: Map<number, SinkError>): Promise<void> {
    try {
      await this.#createShipment(journalId, shipment);
    } catch (error) {
      if (!isErpError(error, 'erp-user-error') && !isErpError(error, 'erp-user-warning')) throw error;
      if (shipment.moves.length === 1) {
        for (const n of shipment.lineNumbers) lineErrors.set(n, error.toSinkError());
        return;
      }
      for (const move of shipment.moves) await this.#createOrSplit(journalId, { ...shipment, moves: [move], lineNumbers: move.lineNumbers }, lineErrors);
    }
  }

  /** One shipment with its moves in one Tryton call, found instead of made if its reference exists. */
  async #createShipment(journalId: string, shipment: PlannedShipment): Promise<number> {
    const reference = shipmentReference(journalId, shipment.role, shipment.lineNumbers);
    const moves = shipment.moves.map((m) => ({
      product: m.productId,
      uom: m.uomId,
      // Tryton 6.0 move quantities are floats; ours have at most 4 decimals, which a double holds exactly enough to round-trip.
      quantity: toQuantity(m.quantity),
      from_location: m.from,
      to_location: m.to,
    }));
    const { id } = await createOnce(this.#rpc, this.#references, SHIPMENT_MODEL, reference, {
      from_location: shipment.from,
      to_location: shipment.to,
      moves: [['create', moves]],
    });
    return id;
  }

  async #post(journal: ErpJournal): Promise<SinkPostResult> {
    const lineErrors = new Map<number, SinkError>();
    const shipmentsByLine = new Map<number, number[]>();
    for (const line of journal.lines) {
      const ids = parseRecordIds(SHIPMENT_MODEL, line.erpJournalId);
      if (ids) shipmentsByLine.set(line.lineNumber, ids);
      else lineErrors.set(line.lineNumber, { code: 'erp-missing-id', message: `Line ${line.lineNumber} has no Tryton shipment id ("${line.erpJournalId ?? ''}"); deliver it again to create it.` });
    }
    const refused = await completeShipments(this.#rpc, [...shipmentsByLine.values()].flat());
    for (const [lineNumber, ids] of shipmentsByLine) {
      const error = ids.map((id) => refused.get(id)).find((e) => e !== undefined);
      if (error) lineErrors.set(lineNumber, error);
    }
    return { ok: true, lineErrors };
  }
}

/** A Tryton failure that is not a refusal of particular lines (unreachable, timed out, logged out) fails the step for the journal, with its code. */
async function failedStep<T>(step: () => Promise<T>): Promise<T | { ok: false; error: SinkError }> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ErpError) return { ok: false, error: error.toSinkError() };
    throw error;
  }
}
