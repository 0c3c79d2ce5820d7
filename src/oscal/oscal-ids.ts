import { createHash } from 'node:crypto';
import { appendTo } from '../common/multimap';

/** Namespace of every UUID this workbench derives for OSCAL documents (fixed, so re-exports keep their UUIDs). */
const WORKBENCH_NAMESPACE = 'f101367b-eddf-463f-87b5-f2ec418d9eca';

/**
 * RFC 4122 version-5 UUID (SHA-1 of namespace + name): the same database id always yields the same OSCAL UUID, so
 * two exports of unchanged data are identical and a consumer can track objects across exports.
 */
export function uuidV5(name: string, namespace = WORKBENCH_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An OSCAL token (XML NCName) for a requirement ref or control code: "GOVERN 1.1" -> "GOVERN-1.1", "Art. 35" ->
 * "Art-35", "164.308(a)(1)" -> "_164.308-a-1". The original ref travels in a `label` prop.
 */
export function oscalToken(ref: string): string {
  const slug = ref
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  if (!slug) return `_${shortHash(ref)}`;
  return /^[A-Za-z_]/.test(slug) ? slug : `_${slug}`;
}

/**
 * Tokens for a set of refs that must stay unique within one document: refs whose slugs collide all get a short hash
 * suffix, which depends only on the set, not on the order the refs come in.
 */
export function oscalTokens(refs: Iterable<string>): Map<string, string> {
  const byToken = new Map<string, string[]>();
  for (const ref of new Set(refs)) {
    const token = oscalToken(ref);
    appendTo(byToken, token, ref);
  }
  const tokens = new Map<string, string>();
  for (const [token, owners] of byToken) {
    for (const ref of owners) tokens.set(ref, owners.length === 1 ? token : `${token}_${shortHash(ref)}`);
  }
  return tokens;
}

function shortHash(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 8);
}
