import { Field, makeStyles, Radio, RadioGroup, SearchBox, Spinner, Text, Title3, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useServices } from '../app/services.js';
import { useUi } from '../app/ui-store.js';
import type { ActiveSession } from '../session/controller.js';
import { parseCoordinates } from './distance.js';
import { PositionPicker, type PositionText } from './PositionPicker.js';
import { warehousesInScope } from './scope.js';
import { useWarehouses } from './use-warehouses.js';
import { WarehouseDetails } from './WarehouseDetails.js';
import { KIND_FILTERS, listWarehouses, type KindFilter, type WarehouseOrder } from './warehouse-list.js';
import { WarehouseTable } from './WarehouseTable.js';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  controls: { display: 'flex', gap: tokens.spacingHorizontalXL, flexWrap: 'wrap', alignItems: 'flex-end' },
  search: { minWidth: '18rem', maxWidth: '28rem', flexGrow: 1 },
  control: { minHeight: '44px' },
  content: { display: 'flex', gap: tokens.spacingHorizontalXL, flexWrap: 'wrap', alignItems: 'flex-start' },
  list: { flex: '2 1 36rem', minWidth: 0, overflowX: 'auto' },
  details: { flex: '1 1 20rem' },
});

const KIND_LABELS: Record<KindFilter, string> = { all: 'All', warehouse: 'Warehouses', truck: 'Trucks' };

/** Every warehouse and truck: search, filter by kind, order by distance from the technician, and the details of one. */
export function WarehousesScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const styles = useStyles();
  const { platform } = useServices();
  const showStock = useUi((s) => s.showStock);
  const warehouses = useWarehouses(session.db);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<KindFilter>('all');
  const [order, setOrder] = useState<WarehouseOrder>('code');
  const [positionText, setPositionText] = useState<PositionText>({ latitude: '', longitude: '' });
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const coordinates = useMemo(() => parseCoordinates(positionText.latitude, positionText.longitude), [positionText]);
  const origin = coordinates.kind === 'valid' ? coordinates.position : null;
  const listed = useMemo(() => listWarehouses(warehouses ?? [], { text, kind, origin, order }), [warehouses, text, kind, origin, order]);
  const scope = useMemo(() => new Set(warehousesInScope(warehouses ?? [], session.user).map((w) => w.id)), [warehouses, session.user]);
  const mine = useMemo(() => new Set(session.user?.warehouseIds ?? []), [session.user]);
  const selected = listed.find((l) => l.warehouse.id === selectedId) ?? null;

  return (
    <section aria-labelledby="warehouses-title" className={styles.screen}>
      <Title3 as="h2" id="warehouses-title">
        Warehouses and trucks
      </Title3>
      {!warehouses ? (
        <Spinner label="Loading warehouses…" />
      ) : warehouses.length === 0 ? (
        <Text>No warehouses on this device yet. They appear after the first sync.</Text>
      ) : (
        <>
          <div className={styles.controls}>
            <Field label="Search warehouses" hint="Code, name or address" className={styles.search}>
              <SearchBox className={styles.control} value={text} onChange={(_, d) => setText(d.value)} />
            </Field>
            <Field label="Kind">
              <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(KIND_FILTERS.find((k) => k === d.value) ?? 'all')}>
                {KIND_FILTERS.map((k) => (
                  <Radio key={k} value={k} label={KIND_LABELS[k]} />
                ))}
              </RadioGroup>
            </Field>
            <Field label="Order" hint={order === 'nearby' && !origin ? 'Use your location or enter coordinates to order by distance.' : undefined}>
              <RadioGroup layout="horizontal" value={order} onChange={(_, d) => setOrder(d.value === 'nearby' ? 'nearby' : 'code')}>
                <Radio value="code" label="By code" />
                <Radio value="nearby" label="Nearby first" />
              </RadioGroup>
            </Field>
          </div>
          <PositionPicker
            value={positionText}
            locate={() => platform.currentPosition()}
            onChange={(value) => {
              setPositionText(value);
              // A position given is a position meant to be used.
              if (parseCoordinates(value.latitude, value.longitude).kind === 'valid') setOrder('nearby');
            }}
            error={coordinates.kind === 'invalid' ? coordinates.message : null}
          />
          <div className={styles.content}>
            <div className={styles.list}>
              {listed.length === 0 ? (
                <Text role="status">No warehouse or truck matches the search.</Text>
              ) : (
                <WarehouseTable listed={listed} selectedId={selected?.warehouse.id ?? null} onSelect={setSelectedId} mine={mine} showDistance={origin !== null} />
              )}
            </div>
            <div className={styles.details}>
              {selected ? (
                <WarehouseDetails
                  warehouse={selected.warehouse}
                  distanceKm={selected.distanceKm}
                  inScope={scope.has(selected.warehouse.id)}
                  onViewStock={() => showStock(selected.warehouse.id)}
                />
              ) : (
                <Text>Select a warehouse or truck to see its details.</Text>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
