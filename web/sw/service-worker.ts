// The service worker's entry (built to /sw.js): wiring only. The app shell cache and update flow live in
// app-shell.ts; push messages and notification actions in push-events.ts.
import '../zod-jitless.ts';
import { installAppShell } from './app-shell.ts';
import { installPushEvents } from './push-events.ts';

declare const self: ServiceWorkerGlobalScope;

installAppShell(self);
installPushEvents(self);
