import { createHash } from 'node:crypto';
import type { CatalogSnapshot } from '../catalog/catalog-index';

const DAY_MS = 86_400_000;
/** The task sweep asks for fresh evidence this long before it expires, so that instant is a recheck too. */
export const EVIDENCE_REFRESH_HORIZON_MS = 30 * DAY_MS;

/** An audit-log entry as the change feed reads it. */
export interface ChangeEntry {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  payload: string;
}

/**
 * How an audit-log entry names the system whose judgments it may change: its own id, a row to look up, nothing
 * (records no judgment reads), or every system (the catalog and the policies). A type not listed here counts as
 * every system, so a new kind of record can only make the sweep and the summaries look again, never skip a change.
 */
export type EntryReach =
  { kind: 'system' } | { kind: 'lookup'; table: LookupTable } | { kind: 'none' } | { kind: 'all' };
export type LookupTable = 'control_implementations' | 'evidence' | 'requirement_decisions' | 'tasks';

const REACH: Record<string, EntryReach> = {
  ai_system: { kind: 'system' },
  control_implementation: { kind: 'lookup', table: 'control_implementations' },
  evidence: { kind: 'lookup', table: 'evidence' },
  requirement_decision: { kind: 'lookup', table: 'requirement_decisions' },
  task: { kind: 'lookup', table: 'tasks' },
  policies: { kind: 'all' },
  framework: { kind: 'all' },
  external_crosswalk: { kind: 'all' },
  session: { kind: 'none' },
  user: { kind: 'none' },
  audit: { kind: 'none' },
  evidence_pack: { kind: 'none' },
  signing_key: { kind: 'none' },
  incident: { kind: 'none' },
};

/** The sweep's own entries: opening tasks makes their keys held, which changes no judgment. */
const NEUTRAL_ACTIONS = new Set(['task.generate']);

export function reachOf(entry: ChangeEntry): EntryReach {
  if (NEUTRAL_ACTIONS.has(entry.action)) return { kind: 'none' };
  return REACH[entry.entityType] ?? { kind: 'all' };
}

/** The systemId a payload names, if any (decisions, removed rows). */
export function payloadSystemId(payload: string): string | null {
  try {
    const parsed = JSON.parse(payload) as unknown;
    const id = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).systemId : undefined;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/**
 * Which systems changed after which seq. A system's judgment made from inputs read after seq S still holds at head
 * while neither `everything` nor its own last change lies above S.
 */
export class InputChanges {
  constructor(
    readonly head: number,
    private readonly everything: number,
    private readonly bySystem: ReadonlyMap<string, number>,
  ) {}

  changedSince(systemId: string, seq: number): boolean {
    return this.everything > seq || (this.bySystem.get(systemId) ?? 0) > seq;
  }
}

const catalogHashes = new WeakMap<CatalogSnapshot, string>();

/**
 * The policy set's content hash with the catalog snapshot's, so an instance that judges with other policies than
 * a stored judgment was made with looks again. The snapshot is hashed once (it changes only with a load or import).
 */
export function policiesFingerprint(policiesHash: string, catalog: CatalogSnapshot): string {
  let hash = catalogHashes.get(catalog);
  if (!hash) {
    hash = sha256(
      JSON.stringify([
        catalog.requirements,
        catalog.controls,
        [...catalog.mappingsByRequirement.values()],
        catalog.coverage.threshold,
        [...catalog.coverage.jointSetsByRequirement],
      ]),
    );
    catalogHashes.set(catalog, hash);
  }
  return sha256(`${policiesHash}\n${hash}`);
}

/**
 * The first instant after `at` at which the same records may judge differently through time alone: an evidence
 * expiry, the start of the sweep's refresh horizon before it, or the next UTC midnight (AI Act dates are days).
 * Uploads, reviews and decisions are stamped by the clock when written, so nothing else lies ahead.
 */
export function recheckAfter(at: string, validUntil: readonly string[]): string {
  const atMs = Date.parse(at);
  let next = Math.floor(atMs / DAY_MS) * DAY_MS + DAY_MS;
  for (const instant of validUntil) {
    for (const ms of [Date.parse(instant), Date.parse(instant) - EVIDENCE_REFRESH_HORIZON_MS]) {
      if (ms > atMs && ms < next) next = ms;
    }
  }
  return new Date(next).toISOString();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
