/** A readable overview of a loaded map set, for the CLI and the startup log. */
import { mapDirections } from './engine.js';
import type { EntityMap, MapSet } from './types.js';

function flow(map: EntityMap): string {
  const d = mapDirections(map);
  return d.toErp && d.fromErp ? 'both ways' : d.toErp ? 'to the ERP' : d.fromErp ? 'from the ERP' : 'nowhere';
}

function line(map: EntityMap): string {
  const counts = { both: 0, 'to-erp': 0, 'from-erp': 0 };
  for (const f of map.fields) counts[f.direction] += 1;
  const children = map.children.map((c) => `${c.local} ↔ ${c.model} (${c.fields.length} fields)`).join(', ');
  return [
    `${map.name}${map.enabled ? '' : ' (disabled)'}:`,
    `${map.collection} ↔ ${map.model},`,
    `key ${map.key.join(' + ')},`,
    `${map.fields.length} fields (${counts.both} both, ${counts['to-erp']} to ERP, ${counts['from-erp']} from ERP),`,
    `${flow(map)}, ${map.conflict}${children ? `; sub-records ${children}` : ''}`,
  ].join(' ');
}

export function summarize(set: MapSet): string {
  const enabled = set.maps.filter((m) => m.enabled).length;
  return [`ERP maps in ${set.dir}: ${set.maps.length} map${set.maps.length === 1 ? '' : 's'}, ${enabled} enabled, no problems.`, ...set.maps.map((m) => `  ${line(m)}`)].join('\n');
}
