// The X-Forwarded-For rule of `trustProxy`, entry by entry. (The end-to-end behaviour, with real
// sockets and the connection limit, is in test/e2e/security-trust-proxy.e2e-spec.ts.)
import type { IncomingMessage } from 'node:http';
import { ProxyTrust, type TrustProxy } from '../../src/index.js';

/** Only the two fields ProxyTrust reads: the socket's peer and the header. */
function request(peer: string | undefined, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

function client(trust: TrustProxy | undefined, peer: string | undefined, forwardedFor?: string): string | undefined {
  return new ProxyTrust(trust).clientAddress(request(peer, forwardedFor));
}

describe('ProxyTrust', () => {
  it.each([undefined, false, 0] as const)('%s: the header is ignored', (trust) => {
    expect(client(trust, '10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    expect(new ProxyTrust(trust).enabled).toBe(false);
  });

  describe('a hop count', () => {
    it('1: the right-most entry is the client (whatever the client wrote left of it is not read)', () => {
      expect(client(1, '10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
      expect(client(1, '10.0.0.1', 'forged, 198.51.100.1 , 203.0.113.7')).toBe('203.0.113.7');
    });

    it('2: the second entry from the right', () => {
      expect(client(2, '10.0.0.1', '1.1.1.1, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    });

    it('fewer entries than proxies: the socket peer', () => {
      expect(client(2, '10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    });

    it('the entry it reads is not an address: the socket peer (a malformed header counts as none)', () => {
      for (const header of ['unknown', '', ' ', '203.0.113.7, ', '203.0.113.7,garbage', '999.1.1.1', '203.0.113.7:99999', '[::1', '[1.2.3.4]']) {
        expect([header, client(1, '10.0.0.1', header)]).toEqual([header, '10.0.0.1']);
      }
    });

    it('no header: the socket peer', () => {
      expect(client(1, '10.0.0.1')).toBe('10.0.0.1');
    });
  });

  describe('a list of proxies', () => {
    const trust = ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'];

    it('a peer not in the list: the header is ignored (a direct client cannot spoof)', () => {
      expect(client(trust, '192.0.2.50', '203.0.113.7')).toBe('192.0.2.50');
    });

    it('the right-most entry not in the list is the client', () => {
      expect(client(trust, '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
      expect(client(trust, '127.0.0.1', 'forged, 203.0.113.7, 10.1.2.3, 10.9.9.9')).toBe('203.0.113.7');
      expect(client(trust, 'fd00::1', '2001:db8::7, fd12::3')).toBe('2001:db8::7');
    });

    it('every hop listed: the left-most entry', () => {
      expect(client(trust, '127.0.0.1', '10.0.0.7, 10.0.0.8')).toBe('10.0.0.7');
    });

    it('a malformed entry before the client is found: the socket peer', () => {
      expect(client(trust, '127.0.0.1', '203.0.113.7, nonsense, 10.0.0.8')).toBe('127.0.0.1');
      expect(client(trust, '127.0.0.1', '')).toBe('127.0.0.1');
    });

    it('an IPv4 peer seen through a dual-stack socket matches the IPv4 entry; mapped entries read as IPv4', () => {
      expect(client(trust, '::ffff:127.0.0.1', '::ffff:203.0.113.7')).toBe('203.0.113.7');
    });
  });

  it('entries with a port (some proxies add it) are read without it', () => {
    expect(client(1, '10.0.0.1', '203.0.113.7:51234')).toBe('203.0.113.7');
    expect(client(1, '10.0.0.1', '[2001:db8::7]:51234')).toBe('2001:db8::7');
    expect(client(1, '10.0.0.1', '[2001:db8::7]')).toBe('2001:db8::7');
  });

  it('invalid options fail when the endpoint is built; true is refused with the reason', () => {
    expect(() => new ProxyTrust(true as unknown as TrustProxy)).toThrow(/true is not accepted/);
    expect(() => new ProxyTrust(-1)).toThrow(/hop count/);
    expect(() => new ProxyTrust(1.5)).toThrow(/hop count/);
    expect(() => new ProxyTrust(['proxy.internal'])).toThrow(/'proxy.internal' is not an IP address/);
    expect(() => new ProxyTrust(['10.0.0.0/33'])).toThrow(/prefix length/);
    expect(() => new ProxyTrust(['10.0.0.0/'])).toThrow(/prefix length/);
    expect(() => new ProxyTrust('10.0.0.1' as unknown as TrustProxy)).toThrow(/trustProxy must be/);
  });
});
