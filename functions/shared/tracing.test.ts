/** Tracing off (no SDK registered): spans are no-ops that pass the caller's trace context on. */
import { SpanKind, startSpan, traceIdOf, traceOf, inSpan, initTracing } from './tracing';

const parent = `00-${'4b'.repeat(16)}-${'00f067aa0ba902b7'}-01`;

describe('with tracing off', () => {
  it('passes a valid parent on unchanged, tracestate included', () => {
    const s = startSpan('GET /x', SpanKind.SERVER, { traceparent: parent, tracestate: 'a=1,b=2' });
    expect(s.span.isRecording()).toBe(false);
    expect(s.headers).toEqual({ traceparent: parent, tracestate: 'a=1,b=2' });
  });

  it.each([
    ['none', {}],
    ['malformed', { traceparent: 'not-a-trace' }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` }],
  ])('gives nothing to pass on for a %s parent (the caller starts a trace)', (_label, given) => {
    expect(startSpan('x', SpanKind.CONSUMER, given).headers).toEqual({});
  });

  it('runs a function in a span and rethrows its error', async () => {
    await expect(inSpan('x', SpanKind.INTERNAL, {}, async () => 7)).resolves.toBe(7);
    await expect(
      inSpan('x', SpanKind.INTERNAL, {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('registers nothing without an OTLP endpoint', () => {
    expect(initTracing('pulse', {})).toBeUndefined();
  });
});

it.each([
  [
    { traceparent: parent, tracestate: 's=1' },
    { traceparent: parent, tracestate: 's=1' },
  ],
  [{ traceparent: 7 }, {}],
  [{}, {}],
])('traceOf(%j)', (event, want) => expect(traceOf(event)).toEqual(want));

it('reads the trace id of a traceparent', () => {
  expect(traceIdOf(parent)).toBe('4b'.repeat(16));
  expect(traceIdOf(undefined)).toBeUndefined();
});
