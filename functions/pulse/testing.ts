/** Integration-test helper: the pulse function served by the lean host on a free port. */
import { createPulse } from './deps';
import { serveLean, type LeanServer } from '../shared/host';
import { eventAuthEnv } from '../shared/eventing/testing';

/** Serves pulse against `databaseUrl`; `base` is its URL. */
export async function startPulse(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<LeanServer & { base: string }> {
  const lean = await serveLean(
    { name: 'pulse', create: createPulse },
    {
      port: 0,
      env: { DATABASE_URL: databaseUrl, MAX_BODY_BYTES: '65536', ...eventAuthEnv('pulse'), ...env },
    },
  );
  return { ...lean, base: `http://127.0.0.1:${lean.port}` };
}
