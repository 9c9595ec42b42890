import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from '@fluentui/react-components';
import { useRef } from 'react';

/**
 * A full resync is the heavy run: it reads every ERP record of the map and
 * may overwrite local values (the map's conflict policy), so the admin
 * reads what it does before it starts.
 */
export function ConfirmResyncDialog({ map, onCancel, onConfirm }: { map: string | null; onCancel: () => void; onConfirm: (map: string) => void }) {
  // The title keeps its map while the dialog closes (map is null by then).
  const shown = useRef(map);
  if (map !== null) shown.current = map;
  return (
    <Dialog open={map !== null} modalType="alert" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Full resync of {shown.current}?</DialogTitle>
          <DialogContent>
            <Text as="p">
              Every ERP record of this map is read again from the start and matched to a Fieldstock record by its key (warehouse code, product
              number, PO number). Where the values differ it is a mismatch: listed in the run's details and settled by the map's conflict policy.
              ERP records with no match here are created; for a two-way map, records only Fieldstock has are queued to be created in the ERP.
            </Text>
            <Text as="p">A large map takes a while; its row shows the progress.</Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={() => map !== null && onConfirm(map)}>
              Run full resync
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
