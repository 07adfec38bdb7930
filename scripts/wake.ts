/**
 * `node dist/scripts/wake.js <url>`: the wake CronJob of a function that scales to zero (registry
 * `wake`). One GET; Knative's activator starts a pod and holds the request until it is ready, so
 * a cold start is waited for, not retried. Exits 1 when the function does not answer 2xx, so the
 * Job shows the failure.
 */
async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url || !/^https?:\/\//.test(url)) throw new Error('usage: wake.js <http(s) URL>');
  const started = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(90_000) });
  await res.arrayBuffer();
  const line = {
    time: new Date().toISOString(),
    msg: 'woke',
    url,
    status: res.status,
    ms: Date.now() - started,
  };
  console.log(JSON.stringify(line));
  if (!res.ok) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(
    JSON.stringify({ msg: 'wake failed', error: err instanceof Error ? err.message : String(err) }),
  );
  process.exitCode = 1;
});
