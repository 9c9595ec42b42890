import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { defaultServerUrl } from './app/services.js';
import { createUiStore } from './app/ui-store.js';
import { getPlatform } from './platform/index.js';
import { SessionController } from './session/controller.js';

const platform = getPlatform();
const ui = createUiStore();
// Made once, outside React: StrictMode's double effects must not open two databases.
const controller = new SessionController({
  platform,
  onView: (view) => ui.getState().setSession(view),
  // Electron has one window per database; browsers may have several tabs on it.
  multiInstance: !window.fieldstock,
});
void controller.restore();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App services={{ platform, controller, defaultServerUrl: defaultServerUrl(window.location) }} ui={ui} />
  </StrictMode>,
);
