import { pulseEmitted } from '../../../events';
import { OUTBOX_SHARDS, buildEvent, shardOf } from './outbox';

describe('shardOf', () => {
  it('is stable per key and spreads keys over all shards', () => {
    expect(shardOf('order-1')).toBe(shardOf('order-1'));
    const counts = new Array(OUTBOX_SHARDS).fill(0);
    for (let i = 0; i < 16_000; i++) counts[shardOf(`sku-${i}`)]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});

describe('buildEvent', () => {
  const data = { pulse_id: '5f0c2b1a-9d3e-4c7a-8b6f-1e2d3c4b5a69', emitted_at: '2026-11-22T01:00:00.000Z' };

  it('fills source, subject and partitionkey from the contract', () => {
    expect(buildEvent(pulseEmitted, data)).toMatchObject({
      specversion: '1.0',
      source: '/functions/pulse',
      type: 'io.tuoi.platform.pulse.v1',
      subject: data.pulse_id,
      partitionkey: data.pulse_id,
      datacontenttype: 'application/json',
      data,
    });
  });

  it('refuses data that breaks the contract', () => {
    expect(() => buildEvent(pulseEmitted, { ...data, pulse_id: 'nope' })).toThrow('breaks its contract');
  });
});
