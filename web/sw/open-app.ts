// Bring the phone app up at a path after a notification tap: focus a window of the app already open and send it
// there, or open a new one. Call it while the notificationclick event runs (browsers allow focus/openWindow only then).

/**
 * Focus one of the app's windows (the focused one, else a visible one, else any) and navigate it to `path` (same
 * origin); when there is none, or it cannot be navigated (a window this worker does not control), open a new one.
 */
export async function openApp(sw: ServiceWorkerGlobalScope, path: string): Promise<void> {
  const url = new URL(path, sw.location.origin).href;
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((c) => c.focused) ?? windows.find((c) => c.visibilityState === 'visible') ?? windows[0];
  if (client) {
    const focused = await client.focus().catch(() => client);
    if (focused.url === url) return;
    const navigated = await focused.navigate(url).catch(() => null);
    if (navigated) return;
  }
  await sw.clients.openWindow(url);
}
