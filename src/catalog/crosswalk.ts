import type { MappingRow } from './catalog.repository';

/**
 * What a derived link can say about requirement A and requirement B. Beyond the OSCAL vocabulary, "overlaps" means A
 * and B share content but their exact relation is unknown, and "related" means both touch the linking control and
 * nothing more is claimed (DESIGN, "Crosswalk algebra").
 */
export type DerivedRelationship =
  'equal-to' | 'equivalent-to' | 'subset-of' | 'superset-of' | 'intersects-with' | 'overlaps' | 'related';

export interface CrosswalkPath {
  controlCode: string;
  /** rel(C, A): how the control relates to the source requirement. */
  fromRelationship: string;
  /** rel(C, B): how the control relates to the target requirement. */
  toRelationship: string;
  /** What this control alone lets us say about A and B. */
  relationship: DerivedRelationship;
  /** The lower of the two mapping strengths. */
  strength: number;
}

export interface CrosswalkLink {
  fromRef: string;
  toRef: string;
  /** The most specific relationship one of the linking controls supports (that control's path comes first in via). */
  relationship: DerivedRelationship;
  /** The relationship an OSCAL mapping export may carry, or null for overlaps and related (not OSCAL terms). */
  oscalRelationship: string | null;
  strength: number;
  /** Every linking control, most specific and strongest first. */
  via: CrosswalkPath[];
}

type Kind = 'equal' | 'superset' | 'subset' | 'intersects';

const KIND: Record<string, Kind> = {
  'equal-to': 'equal',
  'equivalent-to': 'equal',
  'superset-of': 'superset',
  'subset-of': 'subset',
  'intersects-with': 'intersects',
};

/** The table, row r1 = rel(C, A), column r2 = rel(C, B). "equal" stands for equal-to here. */
const TABLE: Record<Kind, Record<Kind, DerivedRelationship>> = {
  equal: { equal: 'equal-to', superset: 'superset-of', subset: 'subset-of', intersects: 'intersects-with' },
  superset: { equal: 'subset-of', superset: 'related', subset: 'subset-of', intersects: 'related' },
  subset: { equal: 'superset-of', superset: 'superset-of', subset: 'overlaps', intersects: 'overlaps' },
  intersects: { equal: 'intersects-with', superset: 'related', subset: 'overlaps', intersects: 'related' },
};

const OSCAL: ReadonlySet<string> = new Set([
  'equal-to',
  'equivalent-to',
  'subset-of',
  'superset-of',
  'intersects-with',
]);

/** How much a derived relationship claims; a link reports the most specific claim any of its paths supports. */
const SPECIFICITY: Record<DerivedRelationship, number> = {
  'equal-to': 6,
  'equivalent-to': 5,
  'subset-of': 4,
  'superset-of': 4,
  'intersects-with': 3,
  overlaps: 2,
  related: 1,
};

function kindOf(relationship: string): Kind {
  const kind = KIND[relationship];
  if (!kind) throw new Error(`unknown mapping relationship "${relationship}"`);
  return kind;
}

/**
 * A <- C -> B: what C's two mappings let us say about A and B, never more than the table allows. equivalent-to
 * composes like equal-to, but two requirements are equal-to each other only when C is equal-to both.
 */
export function composeRelationship(controlToFrom: string, controlToTo: string): DerivedRelationship {
  const derived = TABLE[kindOf(controlToFrom)][kindOf(controlToTo)];
  if (derived === 'equal-to' && (controlToFrom === 'equivalent-to' || controlToTo === 'equivalent-to'))
    return 'equivalent-to';
  return derived;
}

export function oscalRelationshipOf(relationship: string): string | null {
  return OSCAL.has(relationship) ? relationship : null;
}

function byClaim(a: CrosswalkPath, b: CrosswalkPath): number {
  return (
    SPECIFICITY[b.relationship] - SPECIFICITY[a.relationship] ||
    b.strength - a.strength ||
    a.controlCode.localeCompare(b.controlCode)
  );
}

export function deriveCrosswalk(from: MappingRow[], to: MappingRow[]): CrosswalkLink[] {
  const targetsByControl = new Map<string, MappingRow[]>();
  for (const row of to) {
    const list = targetsByControl.get(row.controlCode);
    if (list) list.push(row);
    else targetsByControl.set(row.controlCode, [row]);
  }
  const links = new Map<string, CrosswalkLink>();
  for (const source of from) {
    for (const target of targetsByControl.get(source.controlCode) ?? []) {
      if (source.requirementId === target.requirementId) continue;
      const key = `${source.ref}|${target.ref}`;
      const path: CrosswalkPath = {
        controlCode: source.controlCode,
        fromRelationship: source.relationship,
        toRelationship: target.relationship,
        relationship: composeRelationship(source.relationship, target.relationship),
        strength: Math.min(source.strength, target.strength),
      };
      const link = links.get(key);
      if (link) link.via.push(path);
      else
        links.set(key, {
          fromRef: source.ref,
          toRef: target.ref,
          relationship: path.relationship,
          oscalRelationship: null,
          strength: path.strength,
          via: [path],
        });
    }
  }
  for (const link of links.values()) {
    link.via.sort(byClaim);
    link.relationship = link.via[0].relationship;
    link.strength = link.via[0].strength;
    link.oscalRelationship = oscalRelationshipOf(link.relationship);
  }
  return [...links.values()];
}
