/**
 * Entry of every window. `?window=console` or `?window=r<row>c<col>` picks the view, `&lang=en`
 * the language. Nothing secret is in the URL: the console signs a person in, a display presents
 * the credential its enrolment left in localStorage (session.ts).
 */
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/700.css';
import './styles/base.css';
import './styles/tiles.css';
import './styles/wall.css';
import './styles/console.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './console/ConsoleApp.js';
import { i18next, initI18n } from './i18n/index.js';
import { readLaunchParams, startSession } from './session/session.js';
import { WallApp } from './wall/WallApp.js';

const params = readLaunchParams(window.location);
initI18n(params.lang);

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');
const root = createRoot(container);

if (!params.windowId) {
  document.body.classList.add('kind-error');
  root.render(
    <div className="boot-error" role="alert" data-testid="boot-error">
      {i18next.t('boot.badWindow', { value: params.rawWindow ?? '' })}
    </div>,
  );
} else {
  const windowId = params.windowId;
  const isConsole = windowId === 'console';
  document.body.classList.add(isConsole ? 'kind-console' : 'kind-wall');
  document.title = isConsole ? i18next.t('app.consoleTitle') : i18next.t('app.wallTitle', { window: windowId });
  startSession({ ...params, windowId });
  root.render(<StrictMode>{isConsole ? <ConsoleApp /> : <WallApp windowId={windowId} />}</StrictMode>);
}
