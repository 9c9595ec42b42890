import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import { useServices } from '../app/services.js';
import { useUi } from '../app/ui-store.js';
import type { ActiveSession } from '../session/controller.js';
import { useSyncStatus } from '../sync/use-sync-status.js';

/** Signing out with changes not uploaded is allowed (they stay on the device), but the user should know. */
export function SignOutDialog({ session }: { session: ActiveSession }) {
  const { controller } = useServices();
  const open = useUi((s) => s.dialog === 'sign-out');
  const closeDialog = useUi((s) => s.closeDialog);
  const { pendingUploads } = useSyncStatus(session.sync);
  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && closeDialog()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Sign out?</DialogTitle>
          <DialogContent>
            {pendingUploads > 0
              ? `${pendingUploads} ${pendingUploads === 1 ? 'change has' : 'changes have'} not been uploaded yet. They stay on this device and are uploaded the next time ${session.username} signs in here.`
              : 'All your changes are uploaded.'}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={closeDialog}>
              Stay signed in
            </Button>
            <Button
              appearance="primary"
              onClick={() => {
                closeDialog();
                void controller.signOut();
              }}
            >
              Sign out
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
