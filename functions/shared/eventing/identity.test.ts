import { childName, functionAudience, triggerServiceAccount, triggerSubject } from './identity';

describe('childName (vectors from knative.dev/pkg kmeta/names_test.go)', () => {
  it.each([
    ['asdf', '-deployment', 'asdf-deployment'],
    ['f'.repeat(63), '-deployment', 'ffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deployment'],
    ['f'.repeat(63), '-deploy', 'ffffffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deploy'],
    ['f'.repeat(63), 'f'.repeat(63), 'fffffffffffffffffffffffffffffff0502661254f13c89973cb3a83e0cbec0'],
    ['a', 'f'.repeat(63), 'ab5cfd486935decbc0d305799f4ce4414ffffffffffffffffffffffffffffff'],
    ['b'.repeat(32), 'f'.repeat(32), 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb329c7c81b9ab3ba71aa139066aa5625d'],
    ['aaaa', 'b---a'.repeat(20), 'aaaa7a3f7966594e3f0849720eced8212c18b---ab---ab---ab---ab---ab'],
    [
      'a'.repeat(17),
      'a.-.-.-.-.-.-.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'aaaaaaaaaaaaaaaaaa1eb10dc911444f8434af83b7225442da',
    ],
  ])('%s + %s', (parent, suffix, want) => {
    expect(childName(parent, suffix)).toBe(want);
  });
});

describe('OIDC identities', () => {
  it('a Trigger service account is a DNS label of at most 63 characters', () => {
    const sa = triggerServiceAccount('search--catalog-product-updated-v1');
    expect(sa.length).toBeLessThanOrEqual(63);
    expect(sa).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(sa.startsWith('search--catalog-product-updated')).toBe(true);
  });

  it('names subjects and audiences as Knative does', () => {
    expect(triggerSubject('t', 'ns')).toBe('system:serviceaccount:ns:t-oidc-eventing.knative.dev-trigger');
    expect(functionAudience('Search', 'tuoi')).toBe('serving.knative.dev/service/tuoi/search');
  });
});
