// Push messages → notifications, and notification actions → the API. (To be written.)

/** Register the push/notificationclick handlers on `sw`. */
export function installPushEvents(sw: ServiceWorkerGlobalScope): void {
  void sw;
}
