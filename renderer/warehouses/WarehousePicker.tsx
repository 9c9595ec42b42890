import { Dropdown, Field, makeStyles, Option, Text, tokens } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import type { Warehouse } from '../../shared/collections.js';

const useStyles = makeStyles({
  picker: { minWidth: '18rem' },
  // Touch targets for gloves.
  control: { minHeight: '44px' },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalL },
});

const label = (w: DeepReadonly<Warehouse>) => `${w.code} — ${w.name}`;

/** The "Warehouse or truck" choice of the screens that show one warehouse at a time. */
export function WarehousePicker({
  warehouses,
  selected,
  onSelect,
}: {
  warehouses: readonly DeepReadonly<Warehouse>[];
  selected: DeepReadonly<Warehouse>;
  onSelect(warehouseId: string): void;
}) {
  const styles = useStyles();
  return (
    <Field label="Warehouse or truck" className={styles.picker}>
      <Dropdown
        className={styles.control}
        value={label(selected)}
        selectedOptions={[selected.id]}
        onOptionSelect={(_, data) => data.optionValue && onSelect(data.optionValue)}
      >
        {warehouses.map((w) => (
          <Option key={w.id} value={w.id} text={label(w)}>
            {`${label(w)}${w.kind === 'truck' ? ' (truck)' : ''}`}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** What a one-warehouse screen says when the user has no warehouse on this device yet. */
export function NoWarehouseInScope({ what }: { what: string }) {
  const styles = useStyles();
  return (
    <div className={styles.empty}>
      <Text weight="semibold">No warehouse or truck in your scope on this device.</Text>
      <Text>{what} appears here once an administrator assigns you a warehouse or truck and the device has synced.</Text>
    </div>
  );
}
