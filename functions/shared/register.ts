/**
 * How a function's index.ts hands its definition to whichever host runs it: `register` only
 * records the definition; the lean host (host.ts) or the functions-framework host
 * (framework-host.ts) loads the module and serves what it registered.
 */
import { ConfigError } from './config';
import type { FunctionDefinition } from './runtime';

const definitions = new Map<string, FunctionDefinition>();

/** The definition a loaded module registered under `name`. */
export function definitionOf(name: string): FunctionDefinition | undefined {
  return definitions.get(name);
}

/** Prints which variables are wrong and stops the process (config is validated at start). */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    // Written whatever LOG_LEVEL says: this is the one line an operator needs.
    process.stderr.write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'error',
        msg: err.message,
        problems: err.problems,
      }) + '\n',
    );
    process.exit(78);
  }
  throw err;
}

/** Records a function's definition for the host that loads its module. */
export function register(def: FunctionDefinition): void {
  definitions.set(def.name, def);
}
