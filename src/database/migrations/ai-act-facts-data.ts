import { QueryRunner } from 'typeorm';
import { computeRiskTier } from '../../ai-systems/risk-tier';
import { appendMigrationAuditEntry } from './migration-audit-entry';
import { textOf } from '../../common/text';

// The data step of the AiActFacts migrations (SQLite and PostgreSQL). The facts derived here are frozen as written;
// the risk tier and its reason are derived data the app recomputes from the facts on every write, so the migration
// stores what the app computes from the facts it writes (computeRiskTier), and keeps the previous tier in the audit
// entry.
//
// The old use-case domain, mapped onto the AI Act where it can be (every derived answer is a presumption, flagged):
//   employment               -> Annex III area 4 (the point, 4(a) recruitment or 4(b) decisions at work, is asked)
//   education                -> area 3
//   credit                   -> area 5, point 5(b) (creditworthiness or credit score of natural persons)
//   insurance                -> area 5, point 5(c) (life and health insurance only: review)
//   law_enforcement          -> area 6
//   biometric_identification -> area 1, point 1(a) (remote biometric identification)
//   critical_infrastructure  -> area 2
//   migration                -> area 7
//   justice                  -> area 8, point 8(a) (assisting judicial authorities)
//   social_scoring           -> prohibited practice Art. 5(1)(c)
//   subliminal_manipulation  -> prohibited practice Art. 5(1)(a)
//   customer_service         -> Art. 50 trigger interacts_with_people
//   healthcare, marketing, internal_productivity, software_engineering, other -> nothing (Annex III 5(a)/5(d) or an
//                               Annex I medical device cannot be told from the domain: asked)
// and a generative model kind -> Art. 50 trigger synthetic_content (presumed); a predictive or rules model is not a
// general-purpose AI model (gpaiModel none, derived, not flagged).
// What cannot be derived and is asked ("needs review", with the questions of applicability-questions.ts): whether
// the AI Act reaches the system (Art. 2(1): placing on the EU market does not follow from where data subjects are),
// the role, the Art. 5(1) screening where no banned domain was recorded, the Annex I product question, the Annex III
// area (also where none was derived: "none" is a presumption), the point, the Art. 6(3) derogation, the Art. 50
// triggers, GPAI for generative systems, and for Annex III systems the public-sector and EU-establishment questions.

const DOMAIN_TO_ANNEX_III: Record<string, { area: string; point: string | null }> = {
  employment: { area: '4', point: null },
  education: { area: '3', point: null },
  credit: { area: '5', point: '5(b)' },
  insurance: { area: '5', point: '5(c)' },
  law_enforcement: { area: '6', point: null },
  biometric_identification: { area: '1', point: '1(a)' },
  critical_infrastructure: { area: '2', point: null },
  migration: { area: '7', point: null },
  justice: { area: '8', point: '8(a)' },
};
const DOMAIN_TO_ART_5: Record<string, string> = { social_scoring: 'c', subliminal_manipulation: 'a' };

export interface LegacyAiActSystem {
  id: string;
  useCaseDomain: string;
  modelKind: string;
  computedRiskTier: string;
  riskTierReason: string;
  applicabilityReviewFacts: string[];
}

export interface DerivedAiActFacts {
  prohibitedPractices: string[] | null;
  annexIIIArea: string | null;
  annexIIIPoint: string | null;
  transparencyTriggers: string[] | null;
  gpaiModel: string | null;
  computedRiskTier: string;
  riskTierReason: string;
  applicabilityReviewFacts: string[];
}

export function deriveAiActFacts(system: LegacyAiActSystem): DerivedAiActFacts {
  const annex = DOMAIN_TO_ANNEX_III[system.useCaseDomain] ?? null;
  const banned = DOMAIN_TO_ART_5[system.useCaseDomain];
  const triggers = [
    ...(system.useCaseDomain === 'customer_service' ? ['interacts_with_people'] : []),
    ...(system.modelKind === 'generative' ? ['synthetic_content'] : []),
  ];
  const facts = {
    prohibitedPractices: banned ? [banned] : null,
    annexIProduct: null,
    annexIIIArea: annex?.area ?? null,
    annexIIIPoint: annex?.point ?? null,
    art6Derogation: null,
    profilesPeople: null,
    transparencyTriggers: triggers.length > 0 ? triggers : null,
  };
  const gpaiModel = system.modelKind === 'generative' ? null : 'none';
  const review = ['aiActEuNexus', 'aiActRole', 'prohibitedPractices', 'annexIProduct', 'annexIIIArea'];
  if (annex) {
    if (annex.area !== '2') review.push('annexIIIPoint');
    review.push('art6Derogation', 'aiActEstablishedInEu', 'aiActPublicSector');
  }
  review.push('transparencyTriggers');
  if (gpaiModel === null) review.push('gpaiModel');
  const tier = computeRiskTier(facts);
  const previous =
    system.computedRiskTier === tier.tier ? '' : ` (previously ${system.computedRiskTier} under the use-case rule)`;
  return {
    prohibitedPractices: facts.prohibitedPractices,
    annexIIIArea: facts.annexIIIArea,
    annexIIIPoint: facts.annexIIIPoint,
    transparencyTriggers: facts.transparencyTriggers,
    gpaiModel,
    computedRiskTier: tier.tier,
    riskTierReason: `${tier.reason} Presumed from the use-case domain "${system.useCaseDomain}"${previous}: the AI Act answers need review.`,
    applicabilityReviewFacts: [
      ...system.applicabilityReviewFacts,
      ...review.filter((f) => !system.applicabilityReviewFacts.includes(f)),
    ],
  };
}

/** Derives the AI Act facts of every system and writes them with one audit-log entry per system, in the migration's transaction. */
export async function writeAiActFacts(
  queryRunner: QueryRunner,
  kind: 'sqlite' | 'postgres',
  migration: string,
): Promise<void> {
  const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
  const rows = (await queryRunner.query(
    `SELECT "id", "useCaseDomain", "modelKind", "computedRiskTier", "riskTierReason", "applicabilityReviewFacts" FROM "ai_systems" ORDER BY "id"`,
  )) as Array<Record<string, unknown>>;
  for (const row of rows) {
    const system: LegacyAiActSystem = {
      id: String(row.id),
      useCaseDomain: String(row.useCaseDomain),
      modelKind: String(row.modelKind),
      computedRiskTier: String(row.computedRiskTier),
      riskTierReason: String(row.riskTierReason),
      applicabilityReviewFacts: JSON.parse(textOf(row.applicabilityReviewFacts ?? '[]')) as string[],
    };
    const derived = deriveAiActFacts(system);
    const json = (v: string[] | null) => (v === null ? null : JSON.stringify(v));
    await queryRunner.query(
      `UPDATE "ai_systems" SET "prohibitedPractices" = ${p(1)}, "annexIIIArea" = ${p(2)}, "annexIIIPoint" = ${p(3)}, "transparencyTriggers" = ${p(4)}, "gpaiModel" = ${p(5)}, "computedRiskTier" = ${p(6)}, "riskTierReason" = ${p(7)}, "applicabilityReviewFacts" = ${p(8)} WHERE "id" = ${p(9)}`,
      [
        json(derived.prohibitedPractices),
        derived.annexIIIArea,
        derived.annexIIIPoint,
        json(derived.transparencyTriggers),
        derived.gpaiModel,
        derived.computedRiskTier,
        derived.riskTierReason,
        JSON.stringify(derived.applicabilityReviewFacts),
        system.id,
      ],
    );
    await appendMigrationAuditEntry(queryRunner, kind, {
      migration,
      action: 'system.ai-act-facts-migrated',
      entityType: 'ai_system',
      entityId: system.id,
      payload: {
        migration,
        from: {
          useCaseDomain: system.useCaseDomain,
          modelKind: system.modelKind,
          computedRiskTier: system.computedRiskTier,
          riskTierReason: system.riskTierReason,
        },
        changes: derived,
      },
    });
  }
}
