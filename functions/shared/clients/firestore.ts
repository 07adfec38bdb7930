import { Firestore, type Settings } from '@google-cloud/firestore';

/** Options for {@link createFirestore}. */
export interface FirestoreOptions {
  /** Google Cloud project id (see `FIRESTORE_PROJECT_ID` in infra/services.env). */
  projectId: string;
  /**
   * `host:port` of a Firestore emulator, e.g. `127.0.0.1:58080` (`FIRESTORE_EMULATOR_HOST`).
   * When set, the client talks plaintext gRPC to it and never looks up Google credentials.
   */
  emulatorHost?: string;
  /** Firestore database id (default `(default)`). */
  databaseId?: string;
}

/**
 * Creates a Firestore client. With `emulatorHost`, everything the client would otherwise take
 * from the `FIRESTORE_EMULATOR_HOST` environment variable is passed explicitly (host, port,
 * `ssl: false`, the emulator's `Bearer owner` token and placeholder credentials), so callers
 * do not depend on process env. Note the Google client still lets a set
 * `FIRESTORE_EMULATOR_HOST` override `host`. Call `terminate()` when done.
 */
export function createFirestore(opts: FirestoreOptions): Firestore {
  const settings: Settings = { projectId: opts.projectId, ignoreUndefinedProperties: true };
  if (opts.databaseId !== undefined) settings.databaseId = opts.databaseId;
  if (opts.emulatorHost !== undefined && opts.emulatorHost !== '') {
    const { host, port } = parseHostPort(opts.emulatorHost);
    Object.assign(settings, {
      host,
      port,
      ssl: false,
      customHeaders: { Authorization: 'Bearer owner' },
      credentials: { client_email: 'emulator@localhost', private_key: 'emulator' },
    });
  }
  return new Firestore(settings);
}

function parseHostPort(value: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new Error(`emulatorHost must be host:port, got "${value}"`);
  }
  return { host: match[1], port: Number(match[2]) };
}
