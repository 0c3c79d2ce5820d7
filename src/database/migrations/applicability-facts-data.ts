import { QueryRunner } from 'typeorm';
import { appendMigrationAuditEntry } from './migration-audit-entry';
import { textOf } from '../../common/text';

// The data step of the ApplicabilityFacts migrations (SQLite and PostgreSQL), frozen as it was written: a later
// change to the application's rules must not change what this migration did to existing rows.
//
// What can be derived from the answers a system had before the facts existed:
// - gdprOffersToEu / gdprMonitorsEu = false when the system has personal data and its data subjects' jurisdictions
//   are known and none is in the EU/EEA: Art. 3(2) concerns data subjects "who are in the Union".
// - soc2Categories from soc2InScope: false -> []; true -> every category, privacy only with personal data. That is
//   exactly the scope the old rules applied, so no requirement changes status because of the migration; narrowing
//   the categories is a management decision, so the answer is flagged for review.
// What cannot: hipaaRole (160.103 role), gdprEstablishment (Art. 3(1) is about the organisation, not the data
// subjects), offering/monitoring when subjects are in the EU (their presence alone is not enough, EDPB Guidelines
// 3/2018), gdprRole and the article facts. They stay null (not answered; the rules keep the provision applying) and
// are listed in applicabilityReviewFacts where they matter for the system.

const EU_EEA = new Set([
  'EU',
  'EEA',
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);
const GDPR_DUTY_FACTS = [
  'gdprRole',
  'gdprConsentBasis',
  'gdprCriminalData',
  'gdprPublicBody',
  'gdprLargeScaleMonitoring',
  'gdprLargeScaleSensitiveData',
  'gdprThirdCountryTransfers',
  'gdprArchivingOrResearch',
];

export interface LegacySystem {
  id: string;
  personalData: boolean;
  phi: boolean;
  jurisdictions: string[];
  soc2InScope: boolean;
}

export interface DerivedFacts {
  gdprOffersToEu: boolean | null;
  gdprMonitorsEu: boolean | null;
  soc2Categories: string[];
  applicabilityReviewFacts: string[];
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

/** Reads what the migration needs before the schema changes (soc2InScope is dropped by it). */
export async function readLegacySystems(queryRunner: QueryRunner): Promise<LegacySystem[]> {
  const rows = (await queryRunner.query(
    `SELECT "id", "personalData", "specialCategoryData", "phi", "childrensData", "jurisdictions", "soc2InScope" FROM "ai_systems" ORDER BY "id"`,
  )) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: String(r.id),
    // Special-category data, children's data and PHI are personal data by definition (GDPR Art. 4(1), 9(1)).
    personalData: truthy(r.personalData) || truthy(r.specialCategoryData) || truthy(r.childrensData) || truthy(r.phi),
    phi: truthy(r.phi),
    jurisdictions: JSON.parse(textOf(r.jurisdictions ?? '[]')) as string[],
    soc2InScope: truthy(r.soc2InScope),
  }));
}

export function deriveFacts(system: LegacySystem): DerivedFacts {
  const noEuSubjects =
    system.personalData && system.jurisdictions.length > 0 && !system.jurisdictions.some((j) => EU_EEA.has(j));
  const art32 = noEuSubjects ? false : null;
  const review: string[] = [];
  if (system.phi) review.push('hipaaRole');
  if (system.personalData) {
    review.push('gdprEstablishment');
    if (art32 === null) review.push('gdprOffersToEu', 'gdprMonitorsEu');
    review.push(...GDPR_DUTY_FACTS);
  }
  const soc2Categories = system.soc2InScope
    ? [
        'security',
        'availability',
        'confidentiality',
        'processing_integrity',
        ...(system.personalData ? ['privacy'] : []),
      ]
    : [];
  if (system.soc2InScope) review.push('soc2Categories');
  return { gdprOffersToEu: art32, gdprMonitorsEu: art32, soc2Categories, applicabilityReviewFacts: review };
}

/** Writes the derived facts of each system and, in the same transaction, one audit-log entry per system. */
export async function writeDerivedFacts(
  queryRunner: QueryRunner,
  kind: 'sqlite' | 'postgres',
  systems: LegacySystem[],
  migration: string,
): Promise<void> {
  const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
  const bool = (v: boolean | null) => (v === null ? null : kind === 'postgres' ? v : v ? 1 : 0);
  for (const system of systems) {
    const derived = deriveFacts(system);
    await queryRunner.query(
      `UPDATE "ai_systems" SET "gdprOffersToEu" = ${p(1)}, "gdprMonitorsEu" = ${p(2)}, "soc2Categories" = ${p(3)}, "applicabilityReviewFacts" = ${p(4)} WHERE "id" = ${p(5)}`,
      [
        bool(derived.gdprOffersToEu),
        bool(derived.gdprMonitorsEu),
        JSON.stringify(derived.soc2Categories),
        JSON.stringify(derived.applicabilityReviewFacts),
        system.id,
      ],
    );
    await appendMigrationAuditEntry(queryRunner, kind, {
      migration,
      action: 'system.applicability-facts-migrated',
      entityType: 'ai_system',
      entityId: system.id,
      payload: { migration, removed: { soc2InScope: system.soc2InScope }, changes: derived },
    });
  }
}
