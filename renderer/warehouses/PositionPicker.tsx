import { Button, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { Location24Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { GeoPosition } from '../../shared/platform.js';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  coordinate: { width: '10rem' },
  input: { minHeight: '44px', width: '100%', minWidth: 0 },
  control: { minHeight: '44px' },
});

export interface PositionText {
  latitude: string;
  longitude: string;
}

/** Where "Nearby" measures from: the device's position on request, or coordinates typed in. */
export function PositionPicker({
  value,
  onChange,
  locate,
  error,
}: {
  value: PositionText;
  onChange(value: PositionText): void;
  locate(): Promise<GeoPosition | null>;
  error: string | null;
}) {
  const styles = useStyles();
  const [state, setState] = useState<'idle' | 'locating' | 'unavailable'>('idle');

  const useMyLocation = async () => {
    setState('locating');
    const position = await locate().catch(() => null);
    if (!position) {
      setState('unavailable');
      return;
    }
    setState('idle');
    // Rounded to about 10 m: more digits only clutter the fields.
    onChange({ latitude: position.latitude.toFixed(4), longitude: position.longitude.toFixed(4) });
  };

  // Typed coordinates answer the "not available" message.
  const edit = (next: PositionText) => {
    if (state === 'unavailable') setState('idle');
    onChange(next);
  };

  return (
    <div className={styles.row}>
      <Button className={styles.control} icon={<Location24Regular />} disabled={state === 'locating'} onClick={() => void useMyLocation()}>
        {state === 'locating' ? 'Locating…' : 'Use my location'}
      </Button>
      <Field label="Latitude" className={styles.coordinate} validationState={error ? 'error' : 'none'}>
        <Input className={styles.input} inputMode="decimal" value={value.latitude} onChange={(_, d) => edit({ ...value, latitude: d.value })} />
      </Field>
      <Field label="Longitude" className={styles.coordinate} validationState={error ? 'error' : 'none'}>
        <Input className={styles.input} inputMode="decimal" value={value.longitude} onChange={(_, d) => edit({ ...value, longitude: d.value })} />
      </Field>
      {state === 'unavailable' && (
        <Text role="alert">Your position is not available (location turned off or refused). Enter latitude and longitude instead.</Text>
      )}
      {error && <Text role="alert">{error}</Text>}
    </div>
  );
}
