import { generateKeyPairSync } from 'node:crypto';
import type { AccessClaims, KeyResolver } from './jwt';
import { rememberVerified } from './token-memory';

const key = generateKeyPairSync('ed25519').publicKey;
const token = (kid: string, n: number) =>
  `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url')}.${n}.sig`;

describe('rememberVerified', () => {
  let clock = 1_000;
  let present = true;
  const keys: KeyResolver = async () => (present ? key : undefined);
  const calls: string[] = [];
  const check = rememberVerified(
    async (t) => {
      calls.push(t);
      if (t.endsWith('.0.sig')) throw new Error('bad signature');
      return { iss: 'i', aud: 'a', sub: 's', exp: 1_060 } as AccessClaims;
    },
    { keys, skew: 30, now: () => clock },
  );

  beforeEach(() => {
    calls.length = 0;
    clock = 1_000;
    present = true;
  });

  it('verifies a token once while it lives and its key stays', async () => {
    await check(token('k', 1));
    await check(token('k', 1));
    clock = 1_089;
    await check(token('k', 1));
    expect(calls).toEqual([token('k', 1)]);
  });

  it('verifies again once it expired (past the skew) or its key left the set', async () => {
    await check(token('k', 2));
    clock = 1_090;
    await check(token('k', 2));
    clock = 1_000;
    present = false;
    await check(token('k', 2));
    expect(calls).toHaveLength(3);
  });

  it('never remembers a failure', async () => {
    await expect(check(token('k', 0))).rejects.toThrow('bad signature');
    await expect(check(token('k', 0))).rejects.toThrow('bad signature');
    expect(calls).toHaveLength(2);
  });
});
