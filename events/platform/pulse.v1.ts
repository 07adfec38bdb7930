import { Type } from '@sinclair/typebox';
import { defineEvent } from '../contract';

/**
 * A synthetic heartbeat through the whole event backbone (outbox → relay → Kafka → trigger →
 * consumer). Ops emit one to prove delivery works end to end and to measure its latency.
 */
export const pulseEmitted = defineEvent({
  type: 'io.tuoi.platform.pulse.v1',
  producer: 'pulse',
  description: 'A pulse was emitted; the pulse function records when it arrives.',
  data: Type.Object(
    {
      pulse_id: Type.String({ format: 'uuid' }),
      emitted_at: Type.String({ format: 'date-time' }),
      note: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.pulse_id,
});
