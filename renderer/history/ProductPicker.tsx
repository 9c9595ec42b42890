import { Combobox, Field, Option } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { DeepReadonly } from 'rxdb';
import type { Product } from '../../shared/collections.js';

/** Options shown at once; typing narrows them (a truck can carry thousands of products). */
const MATCHES = 50;

export function productLabel(product: DeepReadonly<Product>): string {
  return `${product.number} — ${product.name}`;
}

/** Products whose number, name or barcode contains the text, in the order given. */
export function matchProducts(products: readonly DeepReadonly<Product>[], text: string, limit = MATCHES): DeepReadonly<Product>[] {
  const query = text.trim().toLowerCase();
  if (!query) return products.slice(0, limit);
  const found: DeepReadonly<Product>[] = [];
  for (const p of products) {
    if (p.number.toLowerCase().includes(query) || p.name.toLowerCase().includes(query) || p.barcodes.some((b) => b.toLowerCase().includes(query))) {
      found.push(p);
      if (found.length === limit) break;
    }
  }
  return found;
}

/** A product search by number, name or barcode; a chosen product shows as its label until the user types again. */
export function ProductPicker({
  products,
  productId,
  onChange,
  className,
}: {
  products: readonly DeepReadonly<Product>[];
  productId: string | null;
  onChange(productId: string | null): void;
  className?: string;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const chosen = productId ? products.find((p) => p.id === productId) : undefined;
  const text = typed ?? (chosen ? productLabel(chosen) : '');
  const matches = useMemo(() => matchProducts(products, typed ?? ''), [products, typed]);
  return (
    <Field label="Product" hint="Product number, name or barcode" className={className}>
      <Combobox
        freeform
        value={text}
        selectedOptions={productId ? [productId] : []}
        placeholder="Search products"
        onChange={(event) => setTyped(event.target.value)}
        onOptionSelect={(_, data) => {
          setTyped(null);
          onChange(data.optionValue || null);
        }}
      >
        {matches.length === 0 ? (
          <Option key="none" value="" text="" disabled>
            No product matches “{(typed ?? '').trim()}”
          </Option>
        ) : (
          matches.map((p) => (
            <Option key={p.id} value={p.id} text={productLabel(p)}>
              {`${productLabel(p)} (${p.unit})`}
            </Option>
          ))
        )}
      </Combobox>
    </Field>
  );
}
