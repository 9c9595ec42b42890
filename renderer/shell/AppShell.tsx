import { Button, makeStyles, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { ArrowSwap24Regular, BoxMultiple24Regular, BuildingRetail24Regular, SignOut24Regular, Warning24Regular } from '@fluentui/react-icons';
import { History24Regular, PlugConnected24Regular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { ADMIN_SCREENS, isScreen, SCREENS, useUi, type Screen } from '../app/ui-store.js';
import { ErpAdminScreen } from '../erp-admin/ErpAdminScreen.js';
import { AttentionCount } from '../attention/AttentionCount.js';
import { AttentionScreen } from '../attention/AttentionScreen.js';
import { MovesScreen } from '../transactions/MovesScreen.js';
import type { ActiveSession } from '../session/controller.js';
import { useRequiredSession } from '../session/use-active-session.js';
import { HistoryScreen } from '../history/HistoryScreen.js';
import { ReceiveScreen } from '../receive/ReceiveScreen.js';
import { BoxArrowLeft24Regular } from '@fluentui/react-icons';
import { StockScreen } from '../stock/StockScreen.js';
import { WarehousesScreen } from '../warehouses/WarehousesScreen.js';
import { SignOutDialog } from './SignOutDialog.js';
import { SyncStatusBar } from './SyncStatusBar.js';

const useStyles = makeStyles({
  shell: { height: '100vh', display: 'grid', gridTemplateRows: 'auto 1fr auto', gridTemplateColumns: 'minmax(180px, auto) 1fr' },
  header: {
    gridColumn: '1 / -1',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  title: { flexGrow: 1, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { padding: tokens.spacingVerticalM, borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  main: { overflow: 'auto', padding: tokens.spacingHorizontalXL, minWidth: 0 },
  footer: { gridColumn: '1 / -1' },
});

const NAVIGATION: Record<Screen, { label: string; icon: ReactElement }> = {
  warehouses: { label: 'Warehouses', icon: <BuildingRetail24Regular /> },
  stock: { label: 'Stock', icon: <BoxMultiple24Regular /> },
  receive: { label: 'Receive', icon: <BoxArrowLeft24Regular /> },
  history: { label: 'History', icon: <History24Regular /> },
  moves: { label: 'Stock moves', icon: <ArrowSwap24Regular /> },
  attention: { label: 'Needs attention', icon: <Warning24Regular /> },
  erp: { label: 'ERP', icon: <PlugConnected24Regular /> },
};

export function AppShell() {
  const styles = useStyles();
  const session = useRequiredSession();
  const screen = useUi((s) => s.screen);
  const navigate = useUi((s) => s.navigate);
  const openDialog = useUi((s) => s.openDialog);
  const isAdmin = session.user?.role === 'admin';
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <span className={styles.title}>Fieldstock</span>
        <Text>
          {session.username}
          {session.user ? ` · ${session.user.role}` : ''}
        </Text>
        <Button appearance="transparent" icon={<SignOut24Regular />} onClick={() => openDialog('sign-out')} style={{ color: 'inherit' }}>
          Sign out
        </Button>
      </header>
      <nav className={styles.nav} aria-label="Main">
        <TabList vertical selectedValue={screen} onTabSelect={(_, data) => isScreen(data.value) && navigate(data.value)}>
          {SCREENS.filter((name) => isAdmin || !ADMIN_SCREENS.has(name)).map((name) => (
            <Tab key={name} value={name} icon={NAVIGATION[name].icon}>
              {NAVIGATION[name].label}
              {name === 'attention' && <AttentionCount db={session.db} />}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={styles.main} aria-label={NAVIGATION[screen].label}>
        <CurrentScreen screen={screen} session={session} />
      </main>
      <div className={styles.footer}>
        <SyncStatusBar engine={session.sync} />
      </div>
      <SignOutDialog session={session} />
    </div>
  );
}

function CurrentScreen({ screen, session }: { screen: Screen; session: ActiveSession }) {
  const tracePrefill = useUi((s) => s.tracePrefill);
  switch (screen) {
    case 'warehouses':
      return <WarehousesScreen session={session} />;
    case 'stock':
      return <StockScreen session={session} />;
    case 'receive':
      return <ReceiveScreen session={session} />;
    case 'history':
      return <HistoryScreen session={session} />;
    case 'moves':
      return <MovesScreen session={session} />;
    case 'attention':
      return <AttentionScreen session={session} />;
    case 'erp':
      // The server refuses the admin routes to other roles anyway; this only keeps the screen out of their way.
      return session.user?.role === 'admin' ? <ErpAdminScreen session={session} trace={tracePrefill} /> : <WarehousesScreen session={session} />;
  }
}
