import { describe, expect, it } from 'vitest';
import { parseControlLine } from './control-mode.ts';

describe('parseControlLine', () => {
  it.each([
    ['%output %3 hello\\015\\012', { kind: 'output', paneId: '%3' }],
    ['%extended-output %12 100 : data', { kind: 'output', paneId: '%12' }],
    ['%subscription-changed hearth-dead $0 @1 1 %1 : 1/3', { kind: 'pane-dead', paneId: '%1', status: 3 }],
    ['%subscription-changed hearth-dead $0 @1 1 %1 : 1/', { kind: 'pane-dead', paneId: '%1', status: null }],
    ['%subscription-changed hearth-dead $0 @2 2 %7 : 0/', { kind: 'pane-alive', paneId: '%7' }],
    ['%exit', { kind: 'exit' }],
    ['%exit server exited', { kind: 'exit' }],
  ])('%s', (line, event) => {
    expect(parseControlLine(line)).toEqual(event);
  });

  it.each([
    '%begin 1795367738 268 0',
    '%window-add @1',
    '%subscription-changed other $0 @1 1 %1 : 1/3',
    '%subscription-changed hearth-dead $0 @1 1 %1 : 1/3 trailing',
    'plain pane text %output %1 x',
    '',
  ])('ignores %j', (line) => {
    expect(parseControlLine(line)).toBeNull();
  });
});
