// Kubernetes' rules: labels, namespaces, quantities and object names.
import { badCharacter, describeChar, fail, ok, overLimit, type Checked } from '../errors.js';

export const LABEL_KEY_RULE = 'a label key: lowercase letters, digits, "." and "-", starting and ending with a letter or digit';
export const LABEL_VALUE_RULE = 'a label value: printable text without "$", "\\\\" or a line break';

export function checkLabel(key: string, value: unknown): Checked<string> {
  if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(key)) return fail(LABEL_KEY_RULE, badCharacter(key, /[a-z0-9.-]/) ?? 'starts or ends with "." or "-"');
  if (typeof value !== 'string') return fail(LABEL_VALUE_RULE, 'is not text');
  const bad = [...value].findIndex((c) => /[\p{Cc}$\\]/u.test(c));
  if (bad >= 0) return fail(LABEL_VALUE_RULE, `has ${describeChar([...value][bad]!)} at position ${bad + 1}`);
  return ok(value);
}

export const NAMESPACE_RULE = 'a Kubernetes namespace: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

export function checkNamespace(raw: string): Checked<string> {
  if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(raw)) return ok(raw);
  if (raw === '') return fail(NAMESPACE_RULE, 'is empty');
  if (raw.length > 63) return fail(NAMESPACE_RULE, overLimit(raw.length, 63));
  const upper = [...raw].findIndex((c) => /[A-Z]/.test(c));
  if (upper >= 0) return fail(NAMESPACE_RULE, `has the capital ${JSON.stringify(raw[upper])} at position ${upper + 1}`);
  return fail(NAMESPACE_RULE, badCharacter(raw, /[a-z0-9-]/) ?? `${raw.startsWith('-') ? 'starts' : 'ends'} with "-"`);
}

export const QUANTITY_RULE = 'a Kubernetes quantity greater than zero: a number with an optional unit (m, k, M, G, T, Ki, Mi, Gi, Ti), e.g. 100m, 64Mi';

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const UNITS: Readonly<Record<string, number>> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

export function checkQuantity(raw: string): Checked<string> {
  const m = QUANTITY.exec(raw);
  if (!m) return fail(QUANTITY_RULE, raw === '' ? 'is empty' : 'is not a number with a unit');
  return Number(m[1]) === 0 ? fail(QUANTITY_RULE, 'is zero') : ok(raw);
}

/** A checked quantity's value in its base unit (bytes, cores): 0.5Gi is 536870912, 256Mi is 268435456. */
export function quantityValue(quantity: string): number {
  const m = QUANTITY.exec(quantity);
  if (!m) throw new Error(`internal: ${JSON.stringify(quantity)} is not a checked quantity`);
  return Number(m[1]) * UNITS[m[2] ?? '']!;
}

const K8S_LABEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

/** Whether an OCI label can also be a Kubernetes label: key [prefix/]name, value at most 63 of [A-Za-z0-9._-]. */
export function isKubernetesLabel(key: string, value: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return false;
  return K8S_LABEL_NAME.test(name) && (value === '' || K8S_LABEL_NAME.test(value));
}

/**
 * The app name as a Kubernetes object name: a Service's name must be a DNS-1035 label (lowercase
 * letters, digits and "-", starting with a letter, at most 63), which "client_golang" or "3d.api" is not.
 */
export function kubernetesName(name: string): string {
  const dashed = name.replace(/[._]+/g, '-').replace(/-+/g, '-');
  const lettered = /^[a-z]/.test(dashed) ? dashed : `app-${dashed}`;
  return lettered.slice(0, 63).replace(/-+$/, '');
}
