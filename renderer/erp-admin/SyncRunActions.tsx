import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Spinner, Tooltip, useId } from '@fluentui/react-components';
import { ArrowSync20Regular, MoreHorizontal20Regular } from '@fluentui/react-icons';
import type { SyncRunKind } from './erp-wire.js';

export interface SyncRunActionsProps {
  map: string;
  /** This map's run is the one in progress: its button shows a spinner. */
  running: boolean;
  /** Any run from this screen is in progress: the buttons wait. */
  disabled: boolean;
  onRun(map: string, kind?: SyncRunKind): void;
  /** A full resync asks first (see ConfirmResyncDialog). */
  onAskResync(map: string): void;
}

/**
 * "Sync now" and, in a small menu, the two rarer runs. The spinner takes
 * the icon's place and the label stays, so nothing moves while it runs.
 */
export function SyncRunActions({ map, running, disabled, onRun, onAskResync }: SyncRunActionsProps) {
  const resyncHint = useId('resync-hint');
  const deletionsHint = useId('deletions-hint');
  return (
    <div style={{ display: 'flex', gap: '4px', whiteSpace: 'nowrap' }}>
      <Tooltip content="Reads what changed in the ERP since the last run (a full first sweep if this map never finished one)." relationship="description">
        <Button
          size="small"
          icon={running ? <Spinner size="extra-tiny" /> : <ArrowSync20Regular />}
          disabled={disabled}
          aria-label={`Sync ${map} now`}
          onClick={() => onRun(map)}
        >
          Sync now
        </Button>
      </Tooltip>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button size="small" icon={<MoreHorizontal20Regular />} disabled={disabled} aria-label={`More sync runs for ${map}`} />
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem
              aria-label={`Full resync of ${map}…`}
              aria-describedby={resyncHint}
              subText={{ id: resyncHint, children: 'Match every ERP record by key again and list what differs' }}
              onClick={() => onAskResync(map)}
            >
              Full resync…
            </MenuItem>
            <MenuItem
              aria-label={`Find deletions in ${map}`}
              aria-describedby={deletionsHint}
              subText={{ id: deletionsHint, children: 'Find linked records the ERP no longer has; nothing is deleted here' }}
              onClick={() => onRun(map, 'reconcile')}
            >
              Find deletions
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
    </div>
  );
}
