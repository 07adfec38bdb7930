import { memoByKey } from './memo';

describe('memoByKey', () => {
  it('reads once per key within the time, again after it, and forgets failures and dropped keys', async () => {
    let reads = 0;
    let fail = false;
    const m = memoByKey(50, async (k: string) => {
      reads++;
      if (fail) throw new Error('down');
      return `${k}:${reads}`;
    });
    const [a, b] = await Promise.all([m.get('x'), m.get('x')]);
    expect([a, b, reads]).toEqual(['x:1', 'x:1', 1]);
    m.drop('x');
    expect(await m.get('x')).toBe('x:2');
    fail = true;
    m.drop('x');
    await expect(m.get('x')).rejects.toThrow('down');
    fail = false;
    expect(await m.get('x')).toBe('x:4');
    await new Promise((r) => setTimeout(r, 60));
    expect(await m.get('x')).toBe('x:5');
  });
});
