// The service worker from the page's side: register /sw.js, offer a waiting new version in the #app-update banner,
// and on Reload ask it to take over ({type:'skip-waiting'}, web/sw/app-shell.ts), then reload once it controls.
// Never activates a new version without the tap: a half-typed prompt is not lost to an update.

/** The page's text and controls for the update banner (index.html, right after #app-error). */
const BANNER = '#app-update';
const RELOAD = '#app-update-reload';

/**
 * Register the service worker (scope /) and watch for updates: a worker that finished installing while another is
 * active waits, and the banner offers it; the page checks for a new sw.js whenever it becomes visible again. Does
 * nothing where service workers are unavailable (an insecure origin, some private modes). Never throws: a failed
 * registration leaves the app working online, without the offline shell.
 */
export function startAppUpdates(win: Window): void {
  const container = win.navigator.serviceWorker;
  const doc = win.document;
  const banner = doc.querySelector<HTMLElement>(BANNER);
  const reload = doc.querySelector<HTMLButtonElement>(RELOAD);
  if (!container || !banner || !reload) return;

  let asked = false;
  let reloading = false;
  // After the tap only: the first install also changes the controller (clients.claim), and must not reload.
  container.addEventListener('controllerchange', () => {
    if (!asked || reloading) return;
    reloading = true;
    win.location.reload();
  });

  const offer = (waiting: ServiceWorker): void => {
    banner.hidden = false;
    reload.disabled = false;
    reload.onclick = () => {
      asked = true;
      reload.disabled = true;
      waiting.postMessage({ type: 'skip-waiting' });
    };
  };
  const watch = (registration: ServiceWorkerRegistration, worker: ServiceWorker): void => {
    worker.addEventListener('statechange', () => {
      // Installed while an older version is active = waiting for its turn (the first install activates at once).
      if (worker.state === 'installed' && registration.active !== null) offer(worker);
    });
  };

  const register = async (): Promise<void> => {
    const registration = await container.register('/sw.js', { scope: '/', updateViaCache: 'none' });
    if (registration.waiting !== null && registration.active !== null) offer(registration.waiting);
    if (registration.installing !== null) watch(registration, registration.installing);
    registration.addEventListener('updatefound', () => {
      if (registration.installing !== null) watch(registration, registration.installing);
    });
    doc.addEventListener('visibilitychange', () => {
      // Offline or mid-deploy the check fails; the next visit checks again, so there is nothing to report.
      if (doc.visibilityState === 'visible') registration.update().catch(() => undefined);
    });
  };
  register().catch((error: unknown) => {
    console.warn('Hearth could not register its service worker; the app works online only.', error);
  });
}
