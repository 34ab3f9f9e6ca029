// The app shell: precache on install, serve offline, and the update flow. (To be written.)

/** Register the install/activate/fetch/message handlers on `sw`. */
export function installAppShell(sw: ServiceWorkerGlobalScope): void {
  void sw;
}
