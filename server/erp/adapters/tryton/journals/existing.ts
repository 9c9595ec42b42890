/**
 * What Tryton already holds for the lines of one ERP journal: the moves of
 * the shipments whose reference names the journal and the line (see
 * references.ts), except cancelled ones. Read before creating (so nothing is
 * made twice) and after (so the ids we report are what Tryton holds).
 */
import { parseQuantity, type Units } from '../../../../../shared/decimal.js';
import { ErpError } from '../../../errors.js';
import type { ErpValue } from '../../../values.js';
import type { TrytonRpc } from '../rpc.js';
import { MOVE_MODEL, SHIPMENT_MODEL } from './ids.js';
import type { CarriedPart, TargetLine } from './plan.js';
import { journalPrefix, parseShipmentReference } from './references.js';

type Row = Record<string, ErpValue>;

export async function readCarried(rpc: TrytonRpc, journalId: string, lines: readonly TargetLine[]): Promise<CarriedPart[]> {
  const shipments = rows(
    SHIPMENT_MODEL,
    await rpc.model(SHIPMENT_MODEL, 'search_read', [
      [
        ['reference', 'like', `${journalPrefix(journalId)}%`],
        ['state', '!=', 'cancelled'],
      ],
      0,
      null,
      [['id', 'ASC']],
      ['reference', 'moves'],
    ]),
  );
  const moveIds = shipments.flatMap((s) => (Array.isArray(s.moves) ? s.moves.filter((m): m is number => typeof m === 'number') : []));
  if (moveIds.length === 0) return [];
  const moves = new Map(
    rows(
      MOVE_MODEL,
      await rpc.model(MOVE_MODEL, 'search_read', [[['id', 'in', moveIds], ['state', '!=', 'cancelled']], 0, null, [['id', 'ASC']], ['product', 'quantity', 'from_location', 'to_location']]),
    ).map((m) => [m.id as number, m]),
  );

  const byNumber = new Map(lines.map((l) => [l.lineNumber, l]));
  const parts: CarriedPart[] = [];
  for (const shipment of shipments) {
    const parsed = typeof shipment.reference === 'string' ? parseShipmentReference(shipment.reference) : undefined;
    if (!parsed || parsed.journalId !== journalId) continue;
    const own = (Array.isArray(shipment.moves) ? shipment.moves : []).flatMap((id) => {
      const move = typeof id === 'number' ? moves.get(id) : undefined;
      return move ? [move] : [];
    });
    for (const lineNumber of parsed.lineNumbers) {
      const line = byNumber.get(lineNumber);
      if (!line) continue;
      for (const move of own) {
        if (move.product !== line.product.id) continue;
        const quantity = toUnits(move.quantity, move.id);
        // The move's effect on this line's warehouse: into its storage, or out of it.
        const signed = move.to_location === line.warehouse.storageId ? quantity : move.from_location === line.warehouse.storageId ? ((-quantity || 0) as Units) : undefined;
        if (signed !== undefined) parts.push({ lineNumber, shipmentId: shipment.id as number, moveId: move.id as number, signed });
      }
    }
  }
  return parts;
}

function rows(model: string, value: ErpValue): Row[] {
  if (!Array.isArray(value) || !value.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && typeof (r as Row).id === 'number')) {
    throw new ErpError('erp-protocol', `Tryton answered a read of ${model} with something other than records`);
  }
  return value as Row[];
}

/** Tryton 6.0 move quantities are floats rounded to the unit's digits: read back exactly, or refuse. */
function toUnits(value: ErpValue | undefined, moveId: ErpValue | undefined): Units {
  const parsed = parseQuantity(value);
  if (!parsed.ok) throw new ErpError('erp-protocol', `Tryton stock.move ${String(moveId)} has quantity ${JSON.stringify(value)}: ${parsed.message}`);
  return parsed.units;
}
