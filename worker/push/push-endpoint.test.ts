import { describe, expect, it } from 'vitest';
import { refusePushEndpoint } from './push-endpoint.ts';

describe('refusePushEndpoint', () => {
  it.each([
    'https://fcm.googleapis.com/fcm/send/abc:def',
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
    'https://web.push.apple.com/QGx',
    'https://push.example.org:8443/up/xyz',
  ])('accepts the public https endpoint %s', (url) => {
    expect(refusePushEndpoint(url, false)).toBeNull();
    expect(refusePushEndpoint(url, true)).toBeNull();
  });

  it.each([
    ['http://fcm.googleapis.com/fcm/send/x', /https/],
    ['http://127.0.0.1:9000/push/x', /https/],
    ['https://127.0.0.1/push/x', /IP address/],
    ['https://2130706433/push/x', /IP address/],
    ['https://0x7f.1/push/x', /IP address/],
    ['https://10.0.0.5/push', /IP address/],
    ['https://[::1]/push', /IP address/],
    ['https://localhost/push', /public/],
    ['https://api.localhost/push', /public/],
    ['https://printer.local/push', /public/],
    ['https://metadata.internal/push', /public/],
    ['https://intranet/push', /public/],
    ['https://user:pw@push.example.org/x', /credentials/],
    ['ftp://push.example.org/x', /https/],
    ['not a url', /not a URL/],
  ])('refuses %s without the local flag', (url, reason) => {
    expect(refusePushEndpoint(url, false)).toMatch(reason);
  });

  it.each([
    'https://localhost./x',
    'https://localhost../x',
    'https://LOCALHOST./x',
    'https://localhost%2e/x',
    'https://metadata.internal./x',
    'https://api.localhost./x',
    'https://printer.local./x',
    'https://router.lan./x',
    'https://router.lan/x',
    'https://nas.home.arpa./x',
    'https://nas.home.arpa/x',
    'https://wiki.intranet./x',
    'https://internal./x',
  ])('refuses the private name %s, also written with trailing dots, with or without the local flag', (url) => {
    expect(refusePushEndpoint(url, false)).toMatch(/public/);
    expect(refusePushEndpoint(url, true)).toMatch(/public/);
  });

  it('refuses an IP literal written with a trailing dot', () => {
    expect(refusePushEndpoint('https://127.0.0.1./x', false)).toMatch(/IP address/);
    expect(refusePushEndpoint('https://10.0.0.5./x', true)).toMatch(/IP address/);
  });

  it('accepts a public name written fully qualified (trailing dot)', () => {
    expect(refusePushEndpoint('https://fcm.googleapis.com./fcm/send/x', false)).toBeNull();
  });

  it('lets http://127.0.0.1 and http://localhost through only with the local flag, and nothing else private', () => {
    expect(refusePushEndpoint('http://127.0.0.1:40123/push/id', true)).toBeNull();
    expect(refusePushEndpoint('http://localhost:40123/push/id', true)).toBeNull();
    expect(refusePushEndpoint('http://10.0.0.5/push', true)).toMatch(/https/);
    expect(refusePushEndpoint('https://192.168.1.2/push', true)).toMatch(/IP address/);
    expect(refusePushEndpoint('http://push.example.org/x', true)).toMatch(/https/);
    expect(refusePushEndpoint('http://localhost.:40123/push/id', true)).toMatch(/https/);
  });
});
