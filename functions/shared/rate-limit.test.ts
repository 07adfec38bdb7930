import { clientIp, trustedNetworks } from './rate-limit';

const req = (xff: string | undefined, remoteAddress = '10.1.2.3') => ({
  headers: { 'x-forwarded-for': xff },
  remoteAddress,
});

describe('clientIp', () => {
  const cluster = trustedNetworks('10.0.0.0/8, 127.0.0.0/8, fd00::/8');

  it.each([
    ['no header: the (trusted) peer', undefined, '10.1.2.3'],
    ['the client behind any number of cluster hops', '203.0.113.7, 10.9.0.1, 10.9.0.2', '203.0.113.7'],
    ['a forged entry left of the real client is ignored', '1.1.1.1, 203.0.113.7, 10.9.0.1', '203.0.113.7'],
    ['a forged private entry cannot hide the client', '10.0.0.5, 203.0.113.7', '203.0.113.7'],
    ['IPv6 clients and IPv4-mapped peers', '2001:db8::1, fd00::2', '2001:db8::1'],
    ['garbage in the chain is where trust ends', 'evil, not-an-ip', 'not-an-ip'],
  ])('by networks: %s', (_, xff, expected) => {
    expect(clientIp(req(xff as string | undefined, '::ffff:10.1.2.3'), cluster)).toBe(expected);
  });

  it('by networks: a peer outside them is the client whatever the header says', () => {
    expect(clientIp(req('1.1.1.1', '198.51.100.4'), cluster)).toBe('198.51.100.4');
  });

  it('by hops: the entry the outermost trusted proxy wrote', () => {
    expect(clientIp(req('1.1.1.1, 203.0.113.7, 10.9.0.1'), 2)).toBe('203.0.113.7');
    expect(clientIp(req('1.1.1.1, 203.0.113.7'), 0)).toBe('10.1.2.3');
  });

  it.each(['10.0.0.0', '10.0.0.0/33', 'x/8', '::/129'])('rejects the malformed block %s', (cidr) => {
    expect(() => trustedNetworks(cidr)).toThrow('is not a CIDR block');
  });
});
