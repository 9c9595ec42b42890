import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import { useEffect, useId, useRef } from 'react';
import type { PurchaseOrder } from '../../shared/collections.js';
import type { ReceiptCorrection } from './receipt-correction.js';

const useStyles = makeStyles({
  // Focused when the form opens from "Fix", so a screen reader reads the reason first; no outline around a message.
  region: { outlineStyle: 'none' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  list: { marginBlock: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

/**
 * What the Receive form is doing when it was opened by "Fix" in Needs
 * attention: which rejected receipt it corrects and why that one was refused,
 * what of it could not be carried over, and whether a receipt can correct it
 * at all (not when the order is no longer receivable).
 */
export function CorrectionBanner({
  correction,
  saved,
  order,
  receivable,
}: {
  correction: ReceiptCorrection;
  saved: boolean;
  order: DeepReadonly<Pick<PurchaseOrder, 'number' | 'status'>>;
  receivable: boolean;
}) {
  const styles = useStyles();
  const titleId = useId();
  const regionRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    regionRef.current?.focus();
  }, []);
  const when = new Date(correction.receivedAt).toLocaleString();

  return (
    <div ref={regionRef} tabIndex={-1} role="region" aria-labelledby={titleId} className={styles.region}>
      {saved ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody className={styles.body}>
            <MessageBarTitle id={titleId}>Rejected receipt corrected</MessageBarTitle>
            <Text>
              The new receipt names the rejected receipt of {when}, which has left Needs attention. The rejected one stays as the server's record. Receipts saved here from now on are
              ordinary receipts.
            </Text>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent={receivable ? 'info' : 'warning'} layout="multiline">
          <MessageBarBody className={styles.body}>
            <MessageBarTitle id={titleId}>{`Correcting rejected receipt of ${when} — ${correction.reason}`}</MessageBarTitle>
            {receivable ? (
              <Text>
                The quantities below are the rejected receipt's: change what was wrong, then save. Saving makes a new receipt that corrects it; the rejected one is never changed.
              </Text>
            ) : (
              <Text>
                {order.number} is {order.status.replace('-', ' ')}, so the server accepts no more receipts for it. This rejected receipt cannot be corrected by a receipt and stays in
                Needs attention.
              </Text>
            )}
            {correction.dropped.length > 0 && (
              <ul className={styles.list} aria-label="Lines left out">
                {correction.dropped.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
