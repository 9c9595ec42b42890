import { Badge, Text } from '@fluentui/react-components';
import type { DocumentStatus } from '../../shared/schemas/common.js';
import { ErpRefusalNote } from './ErpRefusalNote.js';

interface Stateful {
  status: DocumentStatus;
  journalId?: string | undefined;
  error?: { code: string; message: string } | undefined;
  erpError?: { code: string; message: string } | undefined;
}

/** Where a document made on a device stands: waiting to upload, posted (with its journal, and the ERP's refusal if any), or rejected with the server's reason. */
export function SyncState({ doc }: { doc: Stateful }) {
  switch (doc.status) {
    case 'pending':
      return <Badge color="warning">Waiting to upload</Badge>;
    case 'posted':
      return (
        <span>
          <Badge color="success">Posted</Badge>{' '}
          {doc.journalId && (
            <Text size={200} font="monospace" title="The journal the server posted this document in">
              journal {doc.journalId}
            </Text>
          )}
          {doc.erpError && <ErpRefusalNote error={doc.erpError} />}
        </span>
      );
    case 'rejected':
      return (
        <span>
          <Badge color="danger">Rejected</Badge> <Text size={200}>{doc.error?.message ?? 'The server gave no reason.'}</Text>
        </span>
      );
  }
}
