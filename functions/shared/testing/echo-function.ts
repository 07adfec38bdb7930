/**
 * A function with no dependencies for host and gateway tests: `GET /echo` answers its query,
 * `POST /echo` the size of its JSON body. Registered as `echo`, so either host can serve it as a
 * child process: `node dist/functions/shared/host.js --target=echo --source=<this file>`.
 */
import { Type } from '@sinclair/typebox';
import { route } from '../http';
import { register } from '../register';
import type { FunctionDefinition } from '../runtime';

/** The echo function's definition. */
export const echoFunction: FunctionDefinition = {
  name: 'echo',
  create: () => ({
    routes: [
      route({
        method: 'GET',
        path: '/echo',
        handle: async (req) => ({ status: 200, body: { query: req.query } }),
      }),
      route({
        method: 'POST',
        path: '/echo',
        body: Type.Object({ note: Type.Optional(Type.String()) }, { additionalProperties: true }),
        handle: async (req) => ({ status: 200, body: { bytes: req.rawBody.length } }),
      }),
    ],
    ready: async () => undefined,
    close: async () => undefined,
  }),
};

register(echoFunction);
