/** A kafkajs client whose logs go through our structured logger instead of the console. */
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import { createLogger } from '../log';

const log = createLogger('kafkajs');

/** kafkajs log entries, minus the expected "topic already exists" of idempotent topic creation. */
const toStructuredLog: logCreator =
  () =>
  ({ level, log: { message, ...fields } }) => {
    if ((fields as { error?: string }).error === 'Topic with this name already exists') return;
    if (level === logLevel.ERROR) log.error(message, fields);
    else if (level === logLevel.WARN) log.warn(message, fields);
    else if (level === logLevel.INFO) log.debug(message, fields);
  };

/** Creates a kafkajs client for `brokers`. */
export function createKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.INFO, logCreator: toStructuredLog });
}
