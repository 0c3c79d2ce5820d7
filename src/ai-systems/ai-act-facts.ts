import { invalid } from '../common/domain-errors';
import {
  ANNEX_III_POINTS,
  AiSystemEntity,
  PROHIBITED_PRACTICES,
  TRANSPARENCY_TRIGGERS,
} from './entities/ai-system.entity';

/** Lists in the order of their vocabulary (Art. 5(1) a-h, Art. 50 triggers), so equal answers are stored alike. */
export function normaliseAiActLists(system: AiSystemEntity): void {
  if (system.prohibitedPractices)
    system.prohibitedPractices = PROHIBITED_PRACTICES.filter((p) => system.prohibitedPractices!.includes(p));
  if (system.transparencyTriggers)
    system.transparencyTriggers = TRANSPARENCY_TRIGGERS.filter((t) => system.transparencyTriggers!.includes(t));
}

/**
 * The AI Act facts that depend on each other: an Annex III point belongs to the area given, and the Art. 6(3)
 * derogation concerns Annex III systems only. A 400 names the field and the values it may take; nothing is stored.
 */
export function assertAiActFacts(system: AiSystemEntity): void {
  const { annexIIIArea: area, annexIIIPoint: point, art6Derogation } = system;
  if (point !== null) {
    if (area === null) {
      throw invalid(`annexIIIPoint ${point} needs its Annex III area: set annexIIIArea to ${point.charAt(0)}`, [
        `annexIIIPoint must be null when annexIIIArea is null (no Annex III area)`,
      ]);
    }
    const allowed: readonly string[] = ANNEX_III_POINTS[area];
    if (!allowed.includes(point)) {
      throw invalid(`annexIIIPoint ${point} is not a point of Annex III area ${area}`, [
        allowed.length > 0
          ? `annexIIIPoint must be one of ${allowed.join(', ')} for annexIIIArea ${area} (or null)`
          : `annexIIIPoint must be null for annexIIIArea ${area}, which has no lettered points`,
      ]);
    }
  }
  if (art6Derogation !== null && area === null) {
    throw invalid(
      'art6Derogation needs an Annex III area: the Art. 6(3) derogation applies only to systems of Annex III',
      ['art6Derogation must be null unless annexIIIArea is one of 1-8'],
    );
  }
}
