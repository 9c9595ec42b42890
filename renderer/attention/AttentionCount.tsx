import { CounterBadge } from '@fluentui/react-components';
import type { FieldstockDatabase } from '../db/database.js';
import { useAttention } from './use-attention.js';

/** The navigation's count of rejected documents still to fix and of documents the ERP refused; nothing when there are none. */
export function AttentionCount({ db }: { db: FieldstockDatabase }) {
  const attention = useAttention(db);
  const rejected = attention?.open.length ?? 0;
  const refused = attention?.refusedByErp.length ?? 0;
  const count = rejected + refused;
  if (count === 0) return null;
  const title = [rejected > 0 ? `${rejected} rejected to fix` : '', refused > 0 ? `${refused} refused by the ERP` : ''].filter((t) => t !== '').join(', ');
  return <CounterBadge count={count} color="danger" size="small" title={title} style={{ marginInlineStart: '8px' }} />;
}
