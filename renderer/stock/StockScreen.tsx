import { Text, Title3 } from '@fluentui/react-components';

/** Placeholder: the virtualized stock list (TanStack Virtual) is the next step. */
export function StockScreen() {
  return (
    <section aria-labelledby="stock-title">
      <Title3 as="h2" id="stock-title">
        Stock
      </Title3>
      <Text as="p">Stock levels per warehouse and product will be listed here.</Text>
    </section>
  );
}
