import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let fileValues: Record<string, string> | undefined;

/**
 * Value of a service setting for integration tests: the environment variable if set, else the
 * default from infra/services.env (the file infra/services.sh starts the services from).
 */
export function serviceEnv(key: string): string {
  const fromEnv = process.env[key];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  fileValues ??= parseEnvFile(join(__dirname, '..', '..', '..', '..', 'infra', 'services.env'));
  const value = fileValues[key];
  if (value === undefined) throw new Error(`${key} is neither in the environment nor in infra/services.env`);
  return value;
}

function parseEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) values[match[1]] = match[2] ?? '';
  }
  return values;
}

/** A short random suffix so parallel or repeated test runs never share names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
