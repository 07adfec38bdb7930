// Firestore emulator for tests and CI, started by infra/svc/firestore.sh:
//   node infra/firestore-emulator.mjs --host 127.0.0.1 --port 58080
// Wraps the in-memory gRPC emulator from @firestore-emulator/server. Its own start() binds
// 0.0.0.0, so this binds the same gRPC server on the given (loopback) host instead.
// Signals: SIGTERM/SIGINT stop it; SIGUSR2 wipes all data (a cheap reset between suites).
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { FirestoreServer } from '@firestore-emulator/server';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '58080' },
  },
});
const address = `${values.host}:${Number(values.port)}`;

// Credentials must come from the same @grpc/grpc-js copy the emulator's Server uses.
const requireFromEmulator = createRequire(
  createRequire(import.meta.url).resolve('@firestore-emulator/server'),
);
const { Server, ServerCredentials } = requireFromEmulator('@grpc/grpc-js');

// The emulator's Listen handler never closes its side of the stream, so a client that stops
// listening (unsubscribe, terminate) waits forever and e.g. jest never exits. Patch the
// implementation as it is registered: end the call when the client half-closes; on cancel,
// run the emulator's own cleanup (it listens for 'end').
function closingListen(listen) {
  return function Listen(call) {
    let ended = false;
    call.on('error', () => undefined);
    call.on('end', () => {
      if (ended) return;
      ended = true;
      try {
        call.end();
      } catch {
        // already closed
      }
    });
    call.on('cancelled', () => {
      if (!ended) call.emit('end');
    });
    return listen(call);
  };
}

function patchImplementation(definition, impl) {
  // Methods stay bound to the original object: the emulator's class uses #private fields.
  const patched = {};
  for (const [name, method] of Object.entries(definition)) {
    for (const key of [name, method.originalName]) {
      if (!key || typeof impl[key] !== 'function') continue;
      const bound = impl[key].bind(impl);
      patched[key] = name === 'Listen' ? closingListen(bound) : bound;
    }
  }
  return patched;
}
const addService = Server.prototype.addService;
Server.prototype.addService = function patchedAddService(definition, impl) {
  return addService.call(this, definition, patchImplementation(definition, impl));
};
const emulator = new FirestoreServer();
Server.prototype.addService = addService;
const grpcServer = emulator.server;
if (!grpcServer || typeof grpcServer.bindAsync !== 'function') {
  console.error('unexpected @firestore-emulator/server internals: no gRPC server to bind');
  process.exit(1);
}

// A few emulator handlers throw from stream callbacks (e.g. unimplemented remove_target);
// keep serving the other clients instead of dying.
process.on('uncaughtException', (err) => {
  console.error(`${new Date().toISOString()} uncaught: ${err?.stack ?? err}`);
});

grpcServer.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`cannot bind ${address}: ${err.message}`);
    process.exit(1);
  }
  console.log(
    `${new Date().toISOString()} Firestore emulator listening on ${values.host}:${port} (pid ${process.pid})`,
  );
});

function shutdown(signal) {
  console.log(`${new Date().toISOString()} ${signal}: shutting down`);
  const timer = setTimeout(() => {
    grpcServer.forceShutdown();
    process.exit(0);
  }, 3000);
  grpcServer.tryShutdown(() => {
    clearTimeout(timer);
    process.exit(0);
  });
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGUSR2', () => {
  emulator.state.clear();
  console.log(`${new Date().toISOString()} SIGUSR2: all data cleared`);
});
