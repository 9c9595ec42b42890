import { FluentProvider, makeStyles, Spinner, webLightTheme } from '@fluentui/react-components';
import { useActiveSession } from '../session/use-active-session.js';
import { AppShell } from '../shell/AppShell.js';
import { SignInScreen } from '../sign-in/SignInScreen.js';
import { ServicesContext, type AppServices } from './services.js';
import { UiStoreContext, useUi, type UiStore } from './ui-store.js';

const useStyles = makeStyles({
  starting: { minHeight: '100vh', display: 'grid', placeItems: 'center' },
});

export function App({ services, ui }: { services: AppServices; ui: UiStore }) {
  return (
    <FluentProvider theme={webLightTheme}>
      <ServicesContext.Provider value={services}>
        <UiStoreContext.Provider value={ui}>
          <Root />
        </UiStoreContext.Provider>
      </ServicesContext.Provider>
    </FluentProvider>
  );
}

function Root() {
  const styles = useStyles();
  const status = useUi((s) => s.session.status);
  const session = useActiveSession();
  if (status === 'signed-in' && session) {
    // Keyed by database: another user's session starts with fresh screens.
    return <AppShell key={session.db.name} />;
  }
  if (status === 'starting' || status === 'signed-in') {
    // Starting, or signing out (the session is gone, the sign-in view not yet there).
    return (
      <div className={styles.starting}>
        <Spinner label={status === 'starting' ? 'Opening Fieldstock…' : 'Signing out…'} />
      </div>
    );
  }
  return <SignInScreen />;
}
