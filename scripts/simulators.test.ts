/**
 * The provider-simulator hook of infra/services.sh, run for real on a copy of infra/ that holds one
 * throwaway simulator: `simulators` starts it and prints its URL, `status` and `down` manage it as
 * `sim-<provider>`, and with no simulator the hook does nothing.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../functions/shared/paths';

const run = promisify(execFile);
const infra = join(repoRoot(), 'infra');

/** A copy of infra/'s service scripts under a fresh directory (its .services lands there too). */
function copyOfInfra(): string {
  const root = mkdtempSync(join(tmpdir(), 'tuoi-sim-'));
  mkdirSync(join(root, 'infra/simulators'), { recursive: true });
  for (const f of ['lib.sh', 'services.sh', 'services.env', 'svc', 'simulators/service.sh'])
    cpSync(join(infra, f), join(root, 'infra', f), { recursive: true });
  return root;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const services = (root: string, ...args: string[]) =>
  run('bash', [join(root, 'infra/services.sh'), ...args], { env: { ...process.env, TUOI_SERVICES_DIR: '' } });

describe('provider simulator hook', () => {
  let root: string;
  afterEach(async () => {
    await services(root, 'down', 'sim-echo-pay').catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it('does nothing when no simulator exists', async () => {
    root = copyOfInfra();
    expect(await services(root, 'simulators')).toMatchObject({ stdout: '' });
  });

  it('starts a simulator as sim-<provider>, prints its URL, reports and stops it', async () => {
    root = copyOfInfra();
    const port = await freePort();
    appendFileSync(join(root, 'infra/services.env'), `SIM_ECHO_PAY_PORT=${port}\n`);
    mkdirSync(join(root, 'infra/simulators/echo-pay'));
    writeFileSync(
      join(root, 'infra/simulators/echo-pay/server.mjs'),
      `import { createServer } from 'node:http';
       createServer((req, res) => res.end('echo-pay')).listen(Number(process.env.PORT), '127.0.0.1');`,
    );

    const { stdout } = await services(root, 'simulators');
    expect(stdout).toBe(`SIM_ECHO_PAY_URL=http://127.0.0.1:${port}\n`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('echo-pay');
    expect((await services(root, 'status', 'sim-echo-pay')).stdout).toMatch(
      /^sim-echo-pay\s+up\s+127\.0\.0\.1:\d+/,
    );
    expect((await services(root, 'simulators')).stdout).toBe(stdout); // idempotent

    expect((await services(root, 'down', 'sim-echo-pay')).stdout).toMatch(/^sim-echo-pay\s+down/);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
