import { Dropdown, Field, Option } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import type { Warehouse } from '../../../shared/collections.js';

interface Props {
  label: string;
  choices: readonly DeepReadonly<Warehouse>[];
  value: string;
  onChange(id: string): void;
  error?: string | undefined;
  hint?: string | undefined;
}

const text = (w: DeepReadonly<Warehouse>) => `${w.code} — ${w.name}`;

export function WarehousePicker({ label, choices, value, onChange, error, hint }: Props) {
  const selected = choices.find((w) => w.id === value);
  return (
    <Field label={label} required validationMessage={error} hint={hint}>
      <Dropdown value={selected ? text(selected) : ''} selectedOptions={value ? [value] : []} onOptionSelect={(_, data) => onChange(data.optionValue ?? '')} placeholder="Choose a warehouse or truck">
        {choices.map((w) => (
          <Option key={w.id} value={w.id} text={text(w)}>
            {text(w)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
