// Readiness probes for infra/svc/*.sh; exit status 0 = ready.
//   node infra/probe.mjs kafka 127.0.0.1:59092      metadata: cluster has a broker, topics list
//   node infra/probe.mjs firestore 127.0.0.1:58080  writes then reads back a document
import kafkajs from 'kafkajs';
import { Firestore } from '@google-cloud/firestore';

const [kind, hostPort] = process.argv.slice(2);

async function probeKafka() {
  const { Kafka, logLevel } = kafkajs;
  const kafka = new Kafka({
    clientId: 'tuoi-infra-probe',
    brokers: [hostPort],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
    await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function probeFirestore() {
  const [host, port] = hostPort.split(':');
  const db = new Firestore({
    projectId: 'tuoi-infra-probe',
    host,
    port: Number(port),
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
  });
  try {
    const nonce = `${process.pid}-${Date.now()}`;
    const ref = db.collection('probe').doc('ready');
    await ref.set({ nonce });
    const snap = await ref.get();
    if (snap.get('nonce') !== nonce) throw new Error('read back a different value');
  } finally {
    await db.terminate();
  }
}

const probes = { kafka: probeKafka, firestore: probeFirestore };
const probe = probes[kind];
if (!probe || !hostPort) {
  console.error('usage: node infra/probe.mjs kafka|firestore HOST:PORT');
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error(`${kind}: timed out`);
  process.exit(1);
}, 15000);
probe().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err) => {
    console.error(`${kind}: ${err?.message ?? err}`);
    process.exit(1);
  },
);
