import { FieldValue, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import { createFirestore } from './firestore';
import { serviceEnv, uniqueSuffix } from './testing/service-env';

jest.setTimeout(30_000);

// Runs against the in-memory emulator from @firestore-emulator/server (infra/services.sh);
// see ./README.md for what it does not implement.
const collectionName = `it-products-${uniqueSuffix()}`;
let db: Firestore;

interface Product {
  name: string;
  category: string;
  price: number;
  stock: number;
}

const seed: Record<string, Product> = {
  'sua-tuoi': { name: 'Sữa tươi', category: 'dairy', price: 32_000, stock: 10 },
  'sua-chua': { name: 'Sữa chua', category: 'dairy', price: 28_000, stock: 4 },
  'pho-mai': { name: 'Phô mai', category: 'dairy', price: 55_000, stock: 0 },
  'ca-chua': { name: 'Cà chua', category: 'vegetables', price: 25_000, stock: 30 },
};

const products = () => db.collection(collectionName);

beforeAll(async () => {
  db = createFirestore({
    projectId: serviceEnv('FIRESTORE_PROJECT_ID'),
    emulatorHost: serviceEnv('FIRESTORE_EMULATOR_HOST'),
  });
  for (const [id, product] of Object.entries(seed)) await products().doc(id).set(product);
});

afterAll(async () => {
  // The emulator has no ListDocuments/BatchWrite, so delete what a query finds, one by one.
  const snap = await products().get();
  await Promise.all(snap.docs.map((d) => d.ref.delete()));
  await db.terminate();
});

describe('firestore client against the emulator', () => {
  it('set then get returns the same data', async () => {
    const ref = products().doc(`new-${uniqueSuffix()}`);
    await ref.set({
      name: 'Rau muống',
      category: 'vegetables',
      price: 12_000,
      stock: 7,
      tags: ['rau', 'xanh'],
    });
    const snap = await ref.get();
    expect(snap.exists).toBe(true);
    expect(snap.data()).toEqual({
      name: 'Rau muống',
      category: 'vegetables',
      price: 12_000,
      stock: 7,
      tags: ['rau', 'xanh'],
    });
    expect(snap.createTime).toBeDefined();
    await ref.delete();
    await expect(ref.get().then((s) => s.exists)).resolves.toBe(false);
  });

  it('update changes only the given fields, increment is applied server-side', async () => {
    const ref = products().doc('sua-chua');
    await ref.update({ price: 27_000, stock: FieldValue.increment(-1) });
    const snap = await ref.get();
    expect(snap.data()).toEqual({ ...seed['sua-chua'], price: 27_000, stock: 3 });
  });

  it('update of a missing document fails with NOT_FOUND', async () => {
    await expect(products().doc('missing').update({ price: 1 })).rejects.toMatchObject({ code: 5 });
  });

  it('create of an existing document fails with ALREADY_EXISTS', async () => {
    await expect(
      products()
        .doc('ca-chua')
        .create(seed['ca-chua'] as Product),
    ).rejects.toMatchObject({ code: 6 });
  });

  it('concurrent FieldValue.increment writes are all applied', async () => {
    const ref = products().doc(`counter-${uniqueSuffix()}`);
    await ref.set({ views: 0 });
    await Promise.all(Array.from({ length: 25 }, () => ref.update({ views: FieldValue.increment(1) })));
    await expect(ref.get().then((s) => s.get('views'))).resolves.toBe(25);
  });

  it('a transaction reads then increments', async () => {
    const ref = products().doc('ca-chua');
    const after = await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const stock = (snap.get('stock') as number) + 5;
      tx.update(ref, { stock });
      return stock;
    });
    expect(after).toBe(35);
    await expect(ref.get().then((s) => s.get('stock'))).resolves.toBe(35);
  });

  it('queries with where + orderBy (+ limit)', async () => {
    const dairy = await products().where('category', '==', 'dairy').orderBy('price', 'asc').get();
    expect(dairy.docs.map((d) => d.id)).toEqual(['sua-chua', 'sua-tuoi', 'pho-mai']);

    const inStock = await products().where('stock', '>', 0).orderBy('stock', 'desc').limit(2).get();
    expect(inStock.docs.map((d) => d.id)).toEqual(['ca-chua', 'sua-tuoi']);

    const cheap = await products().where('price', '<', 30_000).orderBy('price').get();
    expect(cheap.docs.map((d) => d.get('name'))).toEqual(['Cà chua', 'Sữa chua']);
  });

  it('counts with an aggregation query', async () => {
    const res = await products().where('category', '==', 'dairy').count().get();
    expect(res.data().count).toBe(3);
  });

  it('onSnapshot delivers the current document and then an update', async () => {
    const ref = products().doc('sua-tuoi');
    const seen: number[] = [];
    let unsubscribe: (() => void) | undefined;
    const gotUpdate = new Promise<void>((resolve, reject) => {
      unsubscribe = ref.onSnapshot((snap: DocumentSnapshot) => {
        seen.push(snap.get('price') as number);
        if (seen.length === 1) {
          ref.update({ price: 31_000 }).catch(reject);
        } else if (snap.get('price') === 31_000) {
          resolve();
        }
      }, reject);
    });
    try {
      await gotUpdate;
    } finally {
      unsubscribe?.();
    }
    expect(seen[0]).toBe(32_000);
    expect(seen.at(-1)).toBe(31_000);
  });

  it('a query listener sees a document that starts matching', async () => {
    const id = `new-dairy-${uniqueSuffix()}`;
    let unsubscribe: (() => void) | undefined;
    const sizes: number[] = [];
    const sawNewDoc = new Promise<void>((resolve, reject) => {
      unsubscribe = products()
        .where('category', '==', 'dairy')
        .onSnapshot((snap) => {
          sizes.push(snap.size);
          if (sizes.length === 1) {
            products().doc(id).set({ name: 'Bơ', category: 'dairy', price: 40_000, stock: 2 }).catch(reject);
          } else if (snap.docs.some((d) => d.id === id)) {
            resolve();
          }
        }, reject);
    });
    try {
      await sawNewDoc;
    } finally {
      unsubscribe?.();
    }
    expect(sizes[0]).toBe(3);
    expect(sizes.at(-1)).toBe(4);
  });
});
