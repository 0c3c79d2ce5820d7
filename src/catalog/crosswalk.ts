import type { MappingRow } from './catalog.repository';

export interface CrosswalkLink {
  fromRef: string;
  toRef: string;
  /** The derived relationship from the source requirement to the target one. */
  relationship: string;
  /** The weaker of the two mapping strengths through the strongest linking control. */
  strength: number;
  via: Array<{ controlCode: string; fromRelationship: string; toRelationship: string; strength: number }>;
}

const EQUIVALENT = new Set(['equal-to', 'equivalent-to']);

/**
 * Derives how a source requirement relates to a target one through a control both map to. Only when the control is
 * equivalent to both requirements are they equivalent to each other; if the control is equivalent to (or a superset
 * of) the source and a subset of the target, the source is a subset of the target, and conversely. Anything else
 * only shares ground: intersects-with.
 */
export function composeRelationship(controlToFrom: string, controlToTo: string): string {
  if (EQUIVALENT.has(controlToFrom) && EQUIVALENT.has(controlToTo)) return 'equivalent-to';
  if (EQUIVALENT.has(controlToFrom) && controlToTo === 'subset-of') return 'subset-of';
  if (controlToFrom === 'subset-of' && EQUIVALENT.has(controlToTo)) return 'superset-of';
  return 'intersects-with';
}

export function deriveCrosswalk(from: MappingRow[], to: MappingRow[]): CrosswalkLink[] {
  const targetsByControl = new Map<string, MappingRow[]>();
  for (const row of to) targetsByControl.set(row.controlCode, [...(targetsByControl.get(row.controlCode) ?? []), row]);
  const links = new Map<string, CrosswalkLink>();
  for (const source of from) {
    for (const target of targetsByControl.get(source.controlCode) ?? []) {
      if (source.requirementId === target.requirementId) continue;
      const key = `${source.ref}|${target.ref}`;
      const strength = Math.min(source.strength, target.strength);
      const relationship = composeRelationship(source.relationship, target.relationship);
      const link = links.get(key) ?? { fromRef: source.ref, toRef: target.ref, relationship, strength, via: [] };
      link.via.push({ controlCode: source.controlCode, fromRelationship: source.relationship, toRelationship: target.relationship, strength });
      if (strength > link.strength || (strength === link.strength && relationship !== 'intersects-with')) {
        link.strength = strength;
        link.relationship = relationship;
      }
      links.set(key, link);
    }
  }
  return [...links.values()];
}
