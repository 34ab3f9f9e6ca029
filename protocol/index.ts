// The contract between Hearth's four runtimes: every schema that crosses a boundary. Depends only on zod.
export * from './version.ts';
export * from './ids.ts';
export * from './errors.ts';
export * from './text.ts';
export * from './follow-up.ts';
export * from './task.ts';
export * from './pane.ts';
export * from './room.ts';
export * from './decode.ts';
export * from './device-flow.ts';
export * from './device.ts';
export * from './auth.ts';
export * from './passkey.ts';
export * from './session.ts';
export * from './agent-api.ts';
export * from './approval.ts';
export * from './audit.ts';
