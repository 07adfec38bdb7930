/**
 * Pulse: a synthetic probe of the event backbone. `POST /pulse` stores a pulse and emits
 * `io.tuoi.platform.pulse.v1` in one transaction; the same function consumes it and records the
 * arrival; `GET /pulse/{id}` shows whether and how fast it came through.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { pulseEmitted, type DataOf, type TuoiCloudEvent } from '../../events';
import type { Queryable, Tx } from '../shared/db';
import { NotFoundError, ValidationError } from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { route, type Route } from '../shared/http';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { Pulse, PulseStore } from './store';

/** What the handlers need. */
export interface PulseDeps {
  /** Reads outside a transaction. */
  db: Queryable;
  /** Runs a write and its events in one transaction. */
  work: UnitOfWork;
  store: PulseStore;
  now(): Date;
}

const EmitBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Instant = Type.String({ format: 'date-time' });
/** The public view of a pulse (`toView`), as the API documents it. */
const PulseView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  note: Type.Union([Type.String(), Type.Null()]),
  emitted_at: Instant,
  received_at: Type.Union([Instant, Type.Null()]),
  deliveries: Type.Integer({ minimum: 0 }),
  latency_ms: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.Union([Type.Literal('received'), Type.Literal('in-flight')]),
});

/** The public view of a pulse; latency is null until it arrived. */
export function toView(p: Pulse) {
  return {
    id: p.id,
    note: p.note,
    emitted_at: p.emitted_at.toISOString(),
    received_at: p.received_at?.toISOString() ?? null,
    deliveries: p.deliveries,
    latency_ms: p.received_at ? p.received_at.getTime() - p.emitted_at.getTime() : null,
    status: p.received_at ? 'received' : 'in-flight',
  };
}

/** HTTP routes of the pulse function. */
export function pulseRoutes(deps: PulseDeps): Route[] {
  return [
    route({
      method: 'POST',
      path: '/pulse',
      body: EmitBody,
      doc: {
        summary: 'Send a pulse through the event backbone',
        responses: {
          202: {
            description: 'Stored and emitted; follow `location` to see it arrive',
            headers: { location: 'The pulse: `/pulse/{id}`' },
            body: Type.Object({
              id: Type.String({ format: 'uuid' }),
              emitted_at: Instant,
              status: Type.Literal('in-flight'),
            }),
          },
        },
      },
      async handle(req) {
        const id = randomUUID();
        const emittedAt = deps.now();
        await deps.work(async ({ tx, emit }) => {
          await deps.store.insert(tx, { id, note: req.body.note, emittedAt });
          const data = {
            pulse_id: id,
            emitted_at: emittedAt.toISOString(),
            ...(req.body.note ? { note: req.body.note } : {}),
          };
          emit(buildEvent(pulseEmitted, data, { traceparent: req.traceparent }));
        });
        return {
          status: 202,
          headers: { location: `/pulse/${id}` },
          body: { id, emitted_at: emittedAt.toISOString(), status: 'in-flight' },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/pulse/:id',
      params: Params,
      doc: {
        summary: 'Whether and how fast a pulse came through',
        responses: { 200: { description: 'The pulse', body: PulseView } },
        problems: [404],
      },
      async handle(req) {
        const id = req.params.id as string; // a uuid: the params schema checked it
        const pulse = await deps.store.get(deps.db, id);
        if (!pulse) throw new NotFoundError(`No pulse ${id}`);
        return { status: 200, body: toView(pulse) };
      },
    }),
  ];
}

/** Handles `io.tuoi.platform.pulse.v1`: records the arrival in the consumer's transaction. */
export function onPulse(deps: PulseDeps) {
  return async (event: TuoiCloudEvent, tx: Tx): Promise<void> => {
    const data = event.data as DataOf<typeof pulseEmitted>;
    const found = await deps.store.markReceived(tx, data.pulse_id, deps.now());
    // A pulse this database never emitted cannot become valid by retrying: reject as poison.
    if (!found)
      throw new ValidationError(`Unknown pulse ${data.pulse_id}`, [
        { field: '/data/pulse_id', code: 'exists', message: 'no such pulse' },
      ]);
  };
}
