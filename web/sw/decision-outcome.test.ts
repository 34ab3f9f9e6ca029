// What an Allow/Deny tapped on a notification ends as: a confirmation, what it already was, or the app opened.
import { describe, expect, it } from 'vitest';
import { decisionOutcome, type DecisionAnswer, type DecisionOutcome } from './decision-outcome.ts';
import type { StatusIcon } from './push-notification.ts';

const open: DecisionOutcome = { kind: 'open-app' };
const notify = (title: string, icon: StatusIcon): DecisionOutcome => ({ kind: 'notify', title, body: 'rm -rf build', icon });

describe('decisionOutcome', () => {
  it.each<[string, DecisionAnswer, DecisionOutcome]>([
    ['allowed now', { kind: 'decided', status: 'allowed' }, notify('Allowed', 'running')],
    ['denied now', { kind: 'decided', status: 'denied' }, notify('Denied', 'failed')],
    ['a 2xx that says it is still pending', { kind: 'decided', status: 'pending' }, open],
    ['409, already allowed', { kind: 'conflict', status: 'allowed' }, notify('Already allowed', 'running')],
    ['409, already denied', { kind: 'conflict', status: 'denied' }, notify('Already denied', 'failed')],
    ['409, expired', { kind: 'conflict', status: 'expired' }, notify('Expired: the tool did not run', 'failed')],
    ['409 but still pending (the input changed)', { kind: 'conflict', status: 'pending' }, open],
    ['409 and the approval could not be read', { kind: 'conflict', status: null }, open],
    ['404', { kind: 'not-found' }, notify('This approval no longer exists', 'failed')],
    ['401, 403, 5xx or offline', { kind: 'failed' }, open],
  ])('%s', (_, answer, outcome) => expect(decisionOutcome(answer, 'rm -rf build')).toEqual(outcome));
});
