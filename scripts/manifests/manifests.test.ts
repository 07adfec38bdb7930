import { catalogConfigSpec } from '../../functions/catalog/deps';
import { inventoryConfigSpec } from '../../functions/inventory/deps';
import { cartConfigSpec } from '../../functions/cart/deps';
import { deliveryConfigSpec } from '../../functions/delivery/deps';
import { notificationConfigSpec } from '../../functions/notification/deps';
import { orderConfigSpec } from '../../functions/order/deps';
import { paymentConfigSpec } from '../../functions/payment/deps';
import { promotionsConfigSpec } from '../../functions/promotions/deps';
import { pulseConfigSpec } from '../../functions/pulse/deps';
import { hostOf, registry, triggers, type FunctionSpec } from '../../functions/registry';
import { searchConfigSpec } from '../../functions/search/deps';
import { userConfigSpec } from '../../functions/user/deps';
import { storefrontConfigSpec } from '../../functions/storefront/deps';
import { base, environments, type Environment } from './environments';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerSecurity, type K8sObject } from './k8s';
import { applyPatch, diff } from './patch';
import { overlay, renderFiles, renderObjects, renderTree } from './render';
import { CRD_DIRS, crdProblems, loadCrdValidators } from './validate';
import { referencedSecrets, releaseSteps } from '../deploy';
import { staleFiles } from './cli';

const validators = loadCrdValidators(CRD_DIRS);
const everyEnv = [base, ...environments];

type Container = {
  image: string;
  env: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
    };
  }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: unknown;
  securityContext: Record<string, unknown>;
  resources: { limits: Record<string, string> };
};
type Ksvc = K8sObject & {
  spec: {
    template: { metadata: { annotations: Record<string, string> }; spec: { containers: Container[] } };
  };
};

const ksvc = (objects: K8sObject[], name: string): Ksvc | undefined =>
  objects.find(
    (o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1' && o.metadata.name === name,
  ) as Ksvc | undefined;
const container = (s: Ksvc): Container => s.spec.template.spec.containers[0] as Container;
const annotation = (s: Ksvc, key: string) =>
  s.spec.template.metadata.annotations[`autoscaling.knative.dev/${key}`];

describe('generated manifests', () => {
  it.each(everyEnv.map((e) => [e.name, e]))('%s: every registry function has a Knative Service', (_, env) => {
    const objects = renderObjects(env as Environment);
    for (const fn of registry) {
      const service = ksvc(objects, fn.name);
      expect(service).toBeDefined();
      expect(container(service!).env).toContainEqual({ name: 'FUNCTION_TARGET', value: fn.name });
    }
  });

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: every subscription has a Trigger with its exact type',
    (_, env) => {
      const objects = renderObjects(env as Environment).filter((o) => o.kind === 'Trigger');
      for (const fn of registry)
        for (const sub of fn.subscriptions) {
          const hits = objects.filter(
            (t) =>
              (t.spec as { subscriber: { ref: { name: string } } }).subscriber.ref.name === fn.name &&
              JSON.stringify((t.spec as { filters: unknown }).filters) ===
                JSON.stringify([{ exact: { type: sub.type } }]),
          );
          expect(hits).toHaveLength(1);
          expect(hits[0]?.metadata.annotations?.['kafka.eventing.knative.dev/delivery.order']).toBe(
            sub.ordered ? 'ordered' : 'unordered',
          );
        }
      expect(objects).toHaveLength(triggers().length);
    },
  );

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: every Knative object is valid under its CRD schema',
    (_, env) => {
      const knative = renderObjects(env as Environment).filter((o) => /knative\.dev\//.test(o.apiVersion));
      expect(knative.length).toBeGreaterThan(registry.length);
      for (const o of knative)
        expect([o.metadata.name, crdProblems(o, validators)]).toEqual([o.metadata.name, []]);
    },
  );

  it('the CRD validation rejects unknown fields, wrong types, values outside an enum and bad names', () => {
    const objects = renderObjects(base);
    const service = structuredClone(ksvc(objects, 'catalog')!) as Ksvc & { spec: Record<string, unknown> };
    (service.spec.template.spec as unknown as Record<string, unknown>).containerConcurency = 10;
    expect(crdProblems(service, validators)?.join()).toContain('containerConcurency');
    const trigger = structuredClone(objects.find((o) => o.kind === 'Trigger')!) as K8sObject & {
      spec: { delivery: Record<string, unknown> };
    };
    trigger.spec.delivery.backoffPolicy = 'fibonacci';
    trigger.spec.delivery.retry = 'five';
    expect(crdProblems(trigger, validators)).toEqual(
      expect.arrayContaining([expect.stringContaining('/spec/delivery/retry must be integer')]),
    );
    const sink = structuredClone(objects.find((o) => o.kind === 'KafkaSink')!) as K8sObject & {
      spec: Record<string, unknown>;
    };
    sink.spec.contentMode = 'protobuf';
    expect(crdProblems(sink, validators)?.join()).toContain('allowed values');
    expect(crdProblems({ ...trigger, metadata: { name: 'Bad_Name' } }, validators)?.join()).toContain('DNS');
  });

  it('EventPolicies pass the real EventPolicy CRD, and it rejects misspelt or mistyped fields', () => {
    const policies = renderObjects(base).filter((o) => o.kind === 'EventPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['broker-senders', 'dead-letter-senders']);
    for (const p of policies)
      expect([p.metadata.name, crdProblems(p, validators)]).toEqual([p.metadata.name, []]);
    const bad = structuredClone(policies[0]!) as K8sObject & { spec: Record<string, unknown> };
    bad.spec.form = bad.spec.from;
    bad.spec.filters = 'type = x';
    expect(crdProblems(bad, validators)?.join()).toMatch(/form.*|must be array/);
  });

  it('the Broker takes events only from our KafkaSources and the replay SinkBinding, the dead letters only from our Triggers and sources', () => {
    const objects = renderObjects(base);
    const policy = (name: string) =>
      objects.find((o) => o.kind === 'EventPolicy' && o.metadata.name === name)!.spec as {
        to: { ref: { kind: string; name: string } }[];
        from: { ref: { kind: string; name: string } }[];
        filters?: { cesql: string }[];
      };
    const broker = policy('broker-senders');
    expect(broker.to).toEqual([{ ref: expect.objectContaining({ kind: 'Broker', name: 'default' }) }]);
    const senders = broker.from.map((f) => `${f.ref.kind}/${f.ref.name}`);
    const sources = objects
      .filter((o) => o.kind === 'KafkaSource')
      .map((o) => `KafkaSource/${o.metadata.name}`);
    expect(senders.sort()).toEqual([...sources, 'SinkBinding/dlq-replay'].sort());
    expect(broker.filters?.[0]?.cesql).toContain("'io.tuoi.catalog.product.deleted.v1'");
    const dead = policy('dead-letter-senders');
    expect(dead.to[0]?.ref).toMatchObject({ kind: 'KafkaSink', name: 'dead-letters' });
    expect(
      dead.from
        .filter((f) => f.ref.kind === 'Trigger')
        .map((f) => f.ref.name)
        .sort(),
    ).toEqual(
      triggers()
        .map((t) => t.name)
        .sort(),
    );
  });

  it("each Trigger names its subscriber's audience, and the function accepts exactly its Triggers' identities", () => {
    const objects = renderObjects(base);
    for (const fn of registry.filter((f) => f.subscriptions.length > 0)) {
      const env = Object.fromEntries(container(ksvc(objects, fn.name)!).env.map((e) => [e.name, e.value]));
      expect(env.EVENTS_OIDC_AUDIENCE).toBe(`serving.knative.dev/service/tuoi/${fn.name}`);
      const mine = objects.filter(
        (o) =>
          o.kind === 'Trigger' &&
          (o.spec as { subscriber: { ref: { name: string } } }).subscriber.ref.name === fn.name,
      );
      for (const t of mine)
        expect((t.spec as { subscriber: { audience: string } }).subscriber.audience).toBe(
          env.EVENTS_OIDC_AUDIENCE,
        );
      const subjects = (env.EVENTS_OIDC_SUBJECTS ?? '').split(',');
      expect(subjects).toHaveLength(mine.length);
      for (const s of subjects) {
        expect(s).toMatch(/^system:serviceaccount:tuoi:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
        expect(s.split(':')[3]!.length).toBeLessThanOrEqual(63);
      }
    }
    expect(ksvc(objects, 'user') && container(ksvc(objects, 'user')!).env.map((e) => e.name)).not.toContain(
      'EVENTS_OIDC_AUDIENCE',
    );
  });

  it('function and gateway pods take ingress only from the Knative data plane namespaces', () => {
    const [policy] = renderObjects(base).filter((o) => o.kind === 'NetworkPolicy') as (K8sObject & {
      spec: {
        podSelector: { matchExpressions: { values: string[] }[] };
        ingress: { from: { namespaceSelector: { matchExpressions: { values: string[] }[] } }[] }[];
      };
    })[];
    expect(policy!.spec.podSelector.matchExpressions[0]!.values).toEqual(
      [...registry.map((f) => f.name), 'gateway'].sort(),
    );
    expect(policy!.spec.ingress[0]!.from[0]!.namespaceSelector.matchExpressions[0]!.values).toEqual([
      'kourier-system',
      'knative-serving',
    ]);
  });

  it('probes fit the trigger kind: GET readiness for HTTP functions, none on CloudEvent-only or scale-to-zero ones', () => {
    const eventOnly: FunctionSpec = {
      name: 'event-only',
      description: '',
      trigger: 'cloudevent',
      routes: [],
      subscriptions: [{ type: 'io.tuoi.user.registered.v1' }],
      scaling: 'scale-to-zero',
      uses: ['postgres'],
    };
    const objects = renderObjects(base, [...registry, eventOnly]);
    expect(container(ksvc(objects, 'catalog')!).readinessProbe?.httpGet?.path).toBe('/readyz');
    for (const name of ['event-only', 'notification']) {
      expect(container(ksvc(objects, name)!).readinessProbe).toBeUndefined();
      expect(container(ksvc(objects, name)!).livenessProbe).toBeUndefined();
    }
    // The notification function scales to zero, and a CronJob wakes it for what falls due.
    expect(annotation(ksvc(objects, 'notification')!, 'min-scale')).toBe('0');
    const wake = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'notification-wake') as
      | (K8sObject & {
          spec: {
            schedule: string;
            jobTemplate: { spec: { template: { spec: { containers: { command: string[] }[] } } } };
          };
        })
      | undefined;
    expect(wake?.spec.schedule).toBe('*/5 * * * *');
    expect(wake?.spec.jobTemplate.spec.template.spec.containers[0]!.command).toEqual([
      'node',
      '/app/dist/scripts/wake.js',
      'http://notification.tuoi.svc.cluster.local/healthz',
    ]);
    for (const o of objects.filter((x) => /knative\.dev\//.test(x.apiVersion)))
      expect([o.metadata.name, crdProblems(o, validators)]).toEqual([o.metadata.name, []]);
  });

  it.each(everyEnv.map((e) => [e.name, e]))('%s: autoscaling follows the scaling profile', (_, env) => {
    const objects = renderObjects(env as Environment);
    const pulse = ksvc(objects, 'pulse')!; // scale-to-zero
    expect(annotation(pulse, 'min-scale')).toBe('0');
    expect(annotation(pulse, 'scale-to-zero-pod-retention-period')).toMatch(/^\d+m$/);
    for (const name of ['inventory', 'search']) {
      const s = ksvc(objects, name)!;
      expect(Number(annotation(s, 'target'))).toBeLessThanOrEqual(20);
      expect(Number(annotation(s, 'activation-scale'))).toBeGreaterThan(1);
      expect(s.spec.template.metadata.annotations['autoscaling.knative.dev/target-burst-capacity']).toBe(
        '-1',
      );
      expect(Number(annotation(s, 'max-scale'))).toBeGreaterThanOrEqual(5);
    }
    expect(Number(annotation(ksvc(objects, 'user')!, 'min-scale'))).toBeGreaterThanOrEqual(1);
  });

  it('prod scales wider than dev and points at other secrets', () => {
    const [dev, prod] = ['dev', 'prod'].map((n) => renderObjects(environments.find((e) => e.name === n)!));
    const inv = (objects: K8sObject[]) => ksvc(objects, 'inventory')!;
    expect(Number(annotation(inv(prod!), 'max-scale'))).toBeGreaterThan(
      Number(annotation(inv(dev!), 'max-scale')),
    );
    const secretOf = (objects: K8sObject[]) =>
      container(inv(objects)).env.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name;
    expect([secretOf(dev!), secretOf(prod!)]).toEqual(['dev-inventory-secrets', 'prod-inventory-secrets']);
  });

  it('each function runs on the host the registry gives it (hostOf)', () => {
    const objects = renderObjects(base);
    const command = (name: string) =>
      (container(ksvc(objects, name)!) as Container & { command?: string[] }).command;
    for (const fn of registry)
      expect([fn.name, command(fn.name)?.[1]]).toEqual([
        fn.name,
        hostOf(fn) === 'lean' ? '/app/dist/functions/shared/host.js' : undefined,
      ]);
  });

  it('containers run hardened, with a memory limit and no CPU limit; only the gateway is public', () => {
    for (const o of renderObjects(base).filter(
      (x) => x.kind === 'Service' && x.apiVersion.startsWith('serving'),
    )) {
      const c = container(o as Ksvc);
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.resources.limits.cpu).toBeUndefined();
      expect(o.metadata.labels?.['networking.knative.dev/visibility']).toBe(
        o.metadata.name === 'gateway' ? undefined : 'cluster-local',
      );
    }
  });

  it('every variable a Service sets is one its function reads, and every required one is set', () => {
    const specs: Record<string, Record<string, { read(raw: string | undefined): unknown }>> = {
      cart: cartConfigSpec,
      catalog: catalogConfigSpec,
      delivery: deliveryConfigSpec,
      order: orderConfigSpec,
      payment: paymentConfigSpec,
      inventory: inventoryConfigSpec,
      notification: notificationConfigSpec,
      promotions: promotionsConfigSpec,
      pulse: pulseConfigSpec,
      search: searchConfigSpec,
      storefront: storefrontConfigSpec,
      user: userConfigSpec,
    };
    // Read by the host, the runtime or the Google client rather than by the function's own spec.
    const platform = [
      'FUNCTION_TARGET',
      'FUNCTION_SOURCE',
      'NODE_ENV',
      'LOG_LEVEL',
      'MAX_BODY_BYTES',
      // Read by the runtime of every function (functions/shared/runtime.ts), not its own spec.
      'MAX_INFLIGHT',
      'GOOGLE_APPLICATION_CREDENTIALS',
    ];
    const objects = renderObjects(base);
    expect(Object.keys(specs).sort()).toEqual(registry.map((f) => f.name).sort());
    for (const fn of registry) {
      const spec = specs[fn.name]!;
      const set = container(ksvc(objects, fn.name)!).env.map((e) => e.name);
      expect([fn.name, set.filter((n) => !platform.includes(n) && !(n in spec))]).toEqual([fn.name, []]);
      const required = Object.entries(spec)
        .filter(([, reader]) => {
          try {
            reader.read(undefined);
            return false;
          } catch {
            return true;
          }
        })
        .map(([name]) => name);
      expect([fn.name, required.filter((n) => !set.includes(n))]).toEqual([fn.name, []]);
    }
  });

  it('secrets are referenced, never written, and each function sees only its own', () => {
    const objects = renderObjects(base);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const refs = (name: string) =>
      container(ksvc(objects, name)!)
        .env.filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => `${e.valueFrom?.secretKeyRef?.name}:${e.name}`);
    expect(refs('user')).toEqual(['user-secrets:DATABASE_URL', 'user-secrets:USERS_KEY_SECRET']);
    expect(refs('catalog')).toEqual(['catalog-secrets:DATABASE_URL']);
  });

  it('a KafkaSource feeds each producer topic into the broker, and the dead letters have a sink', () => {
    const objects = renderObjects(base);
    const sources = objects.filter((o) => o.kind === 'KafkaSource');
    expect(sources.map((s) => (s.spec as { topics: string[] }).topics[0]).sort()).toEqual([
      'tuoi.events.cart',
      'tuoi.events.catalog',
      'tuoi.events.delivery',
      'tuoi.events.inventory',
      'tuoi.events.order',
      'tuoi.events.payment',
      'tuoi.events.promotions',
      'tuoi.events.pulse',
      'tuoi.events.user',
    ]);
    expect(objects.find((o) => o.kind === 'KafkaSink')?.spec).toMatchObject({ topic: 'tuoi.dead-letters' });
    expect(objects.find((o) => o.kind === 'SinkBinding')?.spec).toMatchObject({
      sink: { ref: { kind: 'Broker', name: 'default' } },
    });
  });

  it('the webhook host is mapped only once a function has provider webhooks', () => {
    const hosts = (fns: FunctionSpec[]) =>
      renderObjects(base, fns)
        .filter((o) => o.kind === 'DomainMapping')
        .map((o) => o.metadata.name);
    const withoutHooks = registry.map(({ webhooks: _hooks, pages: _pages, ...fn }) => fn);
    expect(hosts(withoutHooks)).toEqual(['api.tuoi.vn']);
    // Delivery takes carrier webhooks; so would payment. The storefront serves pages: the shop host.
    expect(hosts([...registry])).toEqual(['api.tuoi.vn', 'tuoi.vn', 'hooks.tuoi.vn']);
    const payment: FunctionSpec = {
      name: 'payment',
      description: '',
      trigger: 'http',
      routes: ['/payments', '/webhooks/momo'],
      webhooks: ['/webhooks/momo'],
      subscriptions: [],
      scaling: 'always-on',
      uses: ['postgres'],
    };
    expect(hosts([...withoutHooks, payment])).toEqual(['api.tuoi.vn', 'hooks.tuoi.vn']);
  });

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: the shop host is mapped to the gateway once a function serves pages',
    (_, env) => {
      const e = env as Environment;
      const mappings = (fns: readonly FunctionSpec[]) =>
        renderObjects(e, fns).filter((o) => o.kind === 'DomainMapping');
      const shop = mappings(registry).find((o) => o.metadata.name === e.shopHost);
      expect(shop?.metadata.namespace).toBe(e.namespace);
      expect(shop?.spec).toEqual({
        ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'gateway' },
      });
      // The shop is its own host: neither the API's nor the webhooks'.
      expect(new Set([e.apiHost, e.shopHost, e.webhookHost]).size).toBe(3);
      const withoutPages = registry.map(({ pages: _pages, ...fn }) => fn);
      expect(mappings(withoutPages).map((o) => o.metadata.name)).not.toContain(e.shopHost);
    },
  );

  it('the shop host and SHOP_URL are per environment: dev.tuoi.vn in dev, tuoi.vn in prod', () => {
    const shopUrl = (env: Environment) =>
      (
        renderObjects(env).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tuoi-platform') as
          (K8sObject & { data: Record<string, string> }) | undefined
      )?.data.SHOP_URL;
    const [dev, prod] = ['dev', 'prod'].map((n) => environments.find((e) => e.name === n)!);
    expect([dev!.shopHost, prod!.shopHost]).toEqual(['dev.tuoi.vn', 'tuoi.vn']);
    expect([shopUrl(dev!), shopUrl(prod!)]).toEqual(['https://dev.tuoi.vn', 'https://tuoi.vn']);
    for (const env of everyEnv) expect(shopUrl(env)).toBe(`https://${env.shopHost}`);
    // Each overlay maps its shop host; dev's also patches the ConfigMap's SHOP_URL (prod's is the base's).
    const tree = renderTree();
    expect(tree.get('overlays/dev/routes.yaml')).toContain('name: dev.tuoi.vn');
    expect(tree.get('overlays/prod/routes.yaml')).toMatch(/name: tuoi\.vn\n/);
    expect(tree.get('overlays/dev/kustomization.yaml')).toContain('https://dev.tuoi.vn');
  });

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: the functions that link to the shop read SHOP_URL from the platform ConfigMap, no other does',
    (_, env) => {
      const objects = renderObjects(env as Environment);
      const shopUrl = (name: string) =>
        container(ksvc(objects, name)!).env.find((v) => v.name === 'SHOP_URL');
      for (const name of ['order', 'notification'])
        expect([name, shopUrl(name)]).toEqual([
          name,
          { name: 'SHOP_URL', valueFrom: { configMapKeyRef: { name: 'tuoi-platform', key: 'SHOP_URL' } } },
        ]);
      for (const fn of registry.filter((f) => !f.uses.includes('shop')))
        expect([fn.name, shopUrl(fn.name)]).toEqual([fn.name, undefined]);
    },
  );

  it('the webhook host and WEBHOOK_BASE_URL are per environment: hooks.dev.tuoi.vn in dev, hooks.tuoi.vn in prod', () => {
    const webhookUrl = (env: Environment) =>
      (
        renderObjects(env).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tuoi-platform') as
          (K8sObject & { data: Record<string, string> }) | undefined
      )?.data.WEBHOOK_BASE_URL;
    const [dev, prod] = ['dev', 'prod'].map((n) => environments.find((e) => e.name === n)!);
    expect([dev!.webhookHost, prod!.webhookHost]).toEqual(['hooks.dev.tuoi.vn', 'hooks.tuoi.vn']);
    expect([webhookUrl(dev!), webhookUrl(prod!)]).toEqual([
      'https://hooks.dev.tuoi.vn',
      'https://hooks.tuoi.vn',
    ]);
    for (const env of everyEnv) expect(webhookUrl(env)).toBe(`https://${env.webhookHost}`);
    // Dev's overlay patches the ConfigMap's WEBHOOK_BASE_URL (prod's is the base's).
    expect(renderTree().get('overlays/dev/kustomization.yaml')).toContain('https://hooks.dev.tuoi.vn');
  });

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: the functions that name their webhook URLs to providers read WEBHOOK_BASE_URL from the platform ConfigMap, no other does',
    (_, env) => {
      const objects = renderObjects(env as Environment);
      const webhookUrl = (name: string) =>
        container(ksvc(objects, name)!).env.find((v) => v.name === 'WEBHOOK_BASE_URL');
      const readers = registry.filter((f) => f.uses.includes('hooks')).map((f) => f.name);
      expect(readers.sort()).toEqual(['notification', 'payment']);
      for (const name of readers)
        expect([name, webhookUrl(name)]).toEqual([
          name,
          {
            name: 'WEBHOOK_BASE_URL',
            valueFrom: { configMapKeyRef: { name: 'tuoi-platform', key: 'WEBHOOK_BASE_URL' } },
          },
        ]);
      // Delivery has webhook routes too, but its URLs are registered with each carrier once.
      for (const fn of registry.filter((f) => !f.uses.includes('hooks')))
        expect([fn.name, webhookUrl(fn.name)]).toEqual([fn.name, undefined]);
      // Every reader has webhook routes (the registry's check).
      for (const fn of registry.filter((f) => f.uses.includes('hooks')))
        expect([fn.name, (fn.webhooks ?? []).length > 0]).toEqual([fn.name, true]);
    },
  );

  it.each(everyEnv.map((e) => [e.name, e]))(
    "%s: no function sets a public host literally (prod's hooks.tuoi.vn in dev): they come from the ConfigMap",
    (_, env) => {
      const e = env as Environment;
      const origins = [e.apiHost, e.shopHost, e.webhookHost, 'hooks.tuoi.vn', 'tuoi.vn'].map(
        (h) => `https://${h}`,
      );
      const objects = renderObjects(e);
      for (const fn of registry) {
        const literal = container(ksvc(objects, fn.name)!)
          .env.filter((v) => origins.some((o) => v.value === o || v.value?.startsWith(`${o}/`)))
          .map((v) => v.name);
        expect([fn.name, literal]).toEqual([fn.name, []]);
      }
    },
  );

  it.each(environments.map((e) => [e.name, e]))(
    '%s overlay: base + its patches = what it renders',
    (_, env) => {
      const e = env as Environment;
      const patches = overlay(e).patches as { target: { kind: string; name: string }; patch: string }[];
      expect(patches.length).toBeGreaterThan(0);
      const baseObjects = [...renderFiles(base).values()].flat();
      const envObjects = [...renderFiles(e).values()].flat();
      baseObjects.forEach((o, i) => expect(applyPatch(o, diff(o, envObjects[i]))).toEqual(envObjects[i]));
    },
  );

  it('the JSON patch diff escapes pointer tokens and replaces arrays of another length', () => {
    const from = { a: { 'x/y': 1, gone: true }, list: [1, 2] };
    const to = { a: { 'x/y': 2, 'n~': 3 }, list: [1, 2, 3] };
    const ops = diff(from, to);
    expect(ops).toEqual([
      { op: 'remove', path: '/a/gone' },
      { op: 'replace', path: '/a/x~1y', value: 2 },
      { op: 'add', path: '/a/n~0', value: 3 },
      { op: 'replace', path: '/list', value: [1, 2, 3] },
    ]);
    expect(applyPatch(from, ops)).toEqual(to);
  });

  it('regenerating gives the same bytes, and knative/ holds exactly that', () => {
    expect([...renderTree()]).toEqual([...renderTree()]);
    expect(staleFiles()).toEqual([]);
  });
});

describe('release steps', () => {
  const dev = environments.find((e) => e.name === 'dev')!;

  it('checks secrets and finishes migrations before any function rolls out, with the asked tag', () => {
    const steps = releaseSteps(dev, 'abc123');
    const at = (what: string) => steps.findIndex((s) => s.what.startsWith(what));
    expect(at('namespace')).toBeLessThan(at('the referenced Secrets'));
    expect(at('the referenced Secrets')).toBeLessThan(at('previous migration run removed'));
    expect(at('previous migration run removed')).toBeLessThan(at('migrations finished'));
    expect(at('migrations finished')).toBeLessThan(at('functions'));
    const rollout = steps[at('functions')]!.objects!;
    expect(rollout.filter((o) => o.kind === 'Service' && o.apiVersion.startsWith('serving'))).toHaveLength(
      registry.length + 1,
    );
    expect(JSON.stringify(rollout)).toContain('/functions:abc123');
    expect(JSON.stringify(rollout)).not.toContain('/functions:dev"');
    expect(steps.flatMap((s) => s.objects ?? [])).toHaveLength(renderObjects(dev).length);
    // Monitoring goes last: a cluster without the Prometheus Operator still gets the functions.
    const monitoring = steps.at(-1)!;
    expect(monitoring.what).toMatch(/^monitoring/);
    expect(new Set(monitoring.objects!.map((o) => o.kind))).toEqual(
      new Set(['PodMonitor', 'PrometheusRule', 'ConfigMap']),
    );
    expect(
      steps
        .slice(0, -1)
        .flatMap((s) => s.objects ?? [])
        .some((o) => o.metadata.namespace === 'monitoring'),
    ).toBe(false);
  });

  it('lists every Secret the environment needs', () => {
    expect(referencedSecrets(renderObjects(dev))).toEqual([
      'dev-cart-secrets',
      'dev-catalog-secrets',
      'dev-delivery-secrets',
      'dev-firestore-credentials',
      'dev-inventory-secrets',
      'dev-migrate-secrets',
      'dev-notification-secrets',
      'dev-order-secrets',
      'dev-outbox-relay-secrets',
      'dev-payment-secrets',
      'dev-promotions-secrets',
      'dev-pulse-secrets',
      'dev-search-secrets',
      'dev-user-secrets',
    ]);
  });
});

describe('Containerfile', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'Containerfile'), 'utf8');

  it('is multi-stage on Node 20 slim and runs as the user the manifests expect', () => {
    expect(text.match(/^ARG NODE_IMAGE=(.+)$/m)?.[1]).toMatch(/^node:20[.\d]*-[a-z]+-slim$/);
    expect(text.match(/^FROM /gm)).toHaveLength(2);
    expect(text).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(
      text
        .match(/^USER (\d+):(\d+)$/m)
        ?.slice(1)
        .map(Number),
    ).toEqual([containerSecurity.runAsUser, containerSecurity.runAsGroup]);
  });

  it('copies what exists and starts the functions framework the Services configure', () => {
    for (const [, from] of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const path of from!.split(' '))
        expect([path, existsSync(join(__dirname, '..', '..', path))]).toEqual([path, true]);
    const cmd = JSON.parse(text.match(/^CMD (.+)$/m)![1]!) as string[];
    // The entry point is compiled: its TypeScript source must exist (dist/ may not be built yet).
    expect(cmd[1]).toBe('dist/functions/shared/framework-host.js');
    expect(existsSync(join(__dirname, '..', '..', cmd[1]!.replace(/^dist\/(.*)\.js$/, '$1.ts')))).toBe(true);
    const env = container(ksvc(renderObjects(base), 'catalog')!).env.map((e) => e.name);
    expect(env).toEqual(expect.arrayContaining(['FUNCTION_TARGET', 'FUNCTION_SOURCE']));
  });
});
