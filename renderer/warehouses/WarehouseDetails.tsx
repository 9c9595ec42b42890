import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, Title3, tokens } from '@fluentui/react-components';
import { BoxMultiple24Regular } from '@fluentui/react-icons';
import type { DeepReadonly } from 'rxdb';
import type { Warehouse } from '../../shared/collections.js';
import { formatKm } from './distance.js';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: '18rem',
  },
  list: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0 },
  action: { minHeight: '44px', alignSelf: 'flex-start' },
});

export function WarehouseDetails({
  warehouse: w,
  distanceKm,
  inScope,
  onViewStock,
}: {
  warehouse: DeepReadonly<Warehouse>;
  distanceKm: number | null;
  inScope: boolean;
  onViewStock(): void;
}) {
  const styles = useStyles();
  const entries: [string, string][] = [
    ['Code', w.code],
    ['Name', w.name],
    ['Kind', w.kind === 'truck' ? 'Truck' : 'Warehouse'],
    ['Address', w.address || 'Not recorded'],
    ['Coordinates', w.latitude !== undefined && w.longitude !== undefined ? `${w.latitude}, ${w.longitude}` : 'Not recorded'],
    ...(distanceKm !== null ? ([['Distance', formatKm(distanceKm)]] satisfies [string, string][]) : []),
    ['Negative stock', w.allowNegativeStock ? 'Allowed' : 'Not allowed: a change below zero is rejected'],
    ['Externally maintained', w.externallyMaintained ? 'Yes: the ERP is the master of on hand' : 'No'],
    ['Active', w.active ? 'Yes' : 'No'],
  ];
  return (
    <section className={styles.panel} aria-labelledby="warehouse-details-title">
      <Title3 as="h3" id="warehouse-details-title" style={{ margin: 0 }}>
        {w.code} — {w.name}
      </Title3>
      {w.erpError && (
        // Shown until a later change is accepted: the ERP still has the values it had before the refused one.
        <MessageBar intent="warning" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The ERP refused the last change</MessageBarTitle>
            {w.erpError.message} ({w.erpError.code}, {new Date(w.erpError.at).toLocaleString()}). The ERP keeps its previous values until a corrected change is accepted.
          </MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.list}>
        {entries.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
      </dl>
      {inScope ? (
        <Button className={styles.action} appearance="primary" icon={<BoxMultiple24Regular />} onClick={onViewStock}>
          View stock
        </Button>
      ) : (
        <Text>Not in your scope: its stock is not kept on this device.</Text>
      )}
    </section>
  );
}
