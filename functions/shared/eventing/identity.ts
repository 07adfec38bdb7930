/**
 * The OIDC identities of Knative Eventing deliveries (feature `authentication-oidc`), computed the
 * way Knative computes them, so the manifests, the functions and the local router agree:
 * - the audience a subscriber expects: Knative's `<group>/<kind>/<namespace>/<name>`, lower-case
 *   (knative/eventing pkg/auth/audience.go); a Knative Service announces none, so each Trigger
 *   sets it in `spec.subscriber.audience`;
 * - the subject of a Trigger's deliveries: the Trigger's OIDC service account,
 *   `system:serviceaccount:<namespace>:<ChildName(trigger, "-oidc-eventing.knative.dev-trigger")>`
 *   (pkg/auth/serviceaccount.go GetOIDCServiceAccountNameForResource, knative.dev/pkg kmeta.ChildName).
 */
import { createHash } from 'node:crypto';

/** The namespace the platform runs in (cluster and local router alike). */
export const PLATFORM_NAMESPACE = 'tuoi';

const LONGEST = 63;
const HEAD = LONGEST - 32; // room left beside an md5 in hex

/** knative.dev/pkg kmeta.ChildName: `parent + suffix`, hashed to fit 63 characters. */
export function childName(parent: string, suffix: string): string {
  if (parent.length <= LONGEST - suffix.length) return parent + suffix;
  if (HEAD - suffix.length <= 0) {
    const hash = createHash('md5')
      .update(parent + suffix)
      .digest('hex');
    let out = parent.slice(0, HEAD) + hash;
    if (out.length < LONGEST) out += suffix.slice(0, LONGEST - out.length);
    return out.replace(/[^a-zA-Z0-9]+$/, '');
  }
  const hash = createHash('md5').update(parent).digest('hex');
  return parent.slice(0, HEAD - suffix.length) + hash + suffix;
}

/** The OIDC audience of a function's Knative Service (what its Triggers request tokens for). */
export function functionAudience(fn: string, namespace = PLATFORM_NAMESPACE): string {
  return `serving.knative.dev/service/${namespace}/${fn}`.toLowerCase();
}

/** The service account Knative creates for a Trigger's OIDC identity. */
export function triggerServiceAccount(trigger: string): string {
  return childName(trigger, '-oidc-eventing.knative.dev-trigger').toLowerCase();
}

/** The `sub` of the tokens a Trigger's deliveries carry. */
export function triggerSubject(trigger: string, namespace = PLATFORM_NAMESPACE): string {
  return `system:serviceaccount:${namespace}:${triggerServiceAccount(trigger)}`;
}
