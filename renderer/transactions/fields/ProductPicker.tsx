import { Combobox, Field, Option } from '@fluentui/react-components';
import { useMemo, useState, type Ref } from 'react';
import type { DeepReadonly } from 'rxdb';
import type { Product } from '../../../shared/collections.js';

/** Options shown in the product search at once; typing narrows them. */
const PRODUCT_MATCHES = 50;

interface Props {
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  value: string;
  onChange(id: string): void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}

const text = (p: DeepReadonly<Product>) => `${p.number} ${p.name}`;

/** Search by product number or name; a chosen (or prefilled) product shows as "number name". */
export function ProductPicker({ products, value, onChange, error, inputRef }: Props) {
  const [typed, setTyped] = useState('');
  const chosen = value ? products.get(value) : undefined;
  // While nothing is typed, the field shows the chosen product (a prefill, a fix, or the last pick).
  const query = chosen && !typed ? text(chosen) : typed;
  const active = useMemo(() => [...products.values()].filter((p) => p.active), [products]);
  const matches = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const found = needle && !chosen ? active.filter((p) => p.number.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle)) : active;
    return found.slice(0, PRODUCT_MATCHES);
  }, [active, query, chosen]);
  return (
    <Field label="Product" required validationMessage={error} hint="Type a product number or part of its name">
      <Combobox
        ref={inputRef}
        freeform
        value={query}
        selectedOptions={value ? [value] : []}
        onChange={(event) => {
          setTyped(event.target.value);
          onChange('');
        }}
        onOptionSelect={(_, data) => {
          setTyped('');
          onChange(data.optionValue ?? '');
        }}
        placeholder="Search products"
      >
        {matches.map((p) => (
          <Option key={p.id} value={p.id} text={text(p)}>
            {`${p.number} — ${p.name} (${p.unit})`}
          </Option>
        ))}
      </Combobox>
    </Field>
  );
}
