import { upstreamHeaders, upstreamsFrom } from './gateway';
import { registry } from '../registry';

describe('gateway', () => {
  it('has an upstream for every function with routes, from the template', () => {
    const upstreams = upstreamsFrom('http://{name}.tuoi.svc.cluster.local');
    expect(Object.keys(upstreams).sort()).toEqual(
      registry
        .filter((f) => f.routes.length)
        .map((f) => f.name)
        .sort(),
    );
    expect(upstreams.catalog).toBe('http://catalog.tuoi.svc.cluster.local');
  });

  it('sends the upstream Host (Knative routes by it) and records the original host and the peer', () => {
    const out = upstreamHeaders(
      { host: 'api.tuoi.vn', 'x-forwarded-for': '203.0.113.7', accept: 'application/json' },
      new URL('http://catalog.tuoi.svc.cluster.local'),
      '10.4.0.9',
    );
    expect(out).toEqual({
      host: 'catalog.tuoi.svc.cluster.local',
      accept: 'application/json',
      'x-forwarded-host': 'api.tuoi.vn',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '203.0.113.7, 10.4.0.9',
    });
    expect(upstreamHeaders({ host: 'a' }, new URL('http://b:81'), '10.0.0.1')['x-forwarded-for']).toBe(
      '10.0.0.1',
    );
  });
});
