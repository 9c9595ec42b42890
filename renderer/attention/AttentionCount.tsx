import { CounterBadge } from '@fluentui/react-components';
import type { FieldstockDatabase } from '../db/database.js';
import { useAttention } from './use-attention.js';

/** The navigation's count of rejected documents still to fix; nothing when there are none. */
export function AttentionCount({ db }: { db: FieldstockDatabase }) {
  const count = useAttention(db)?.open.length ?? 0;
  if (count === 0) return null;
  return <CounterBadge count={count} color="danger" size="small" title={`${count} rejected to fix`} style={{ marginInlineStart: '8px' }} />;
}
