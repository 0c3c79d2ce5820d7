import { Inject, Injectable } from '@nestjs/common';
import type { ObligationRule } from '../catalog/ai-act-obligations';
import { explain } from '../catalog/applicability-rules';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { RequirementEntity } from '../catalog/entities/catalog.entities';
import { isSufficientMapping } from '../catalog/library-coverage';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { Actor } from '../common/auth.decorators';
import { CLOCK, Clock, iso } from '../common/time';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { ApplicabilityService, effectiveRiskTier, factsOf } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { ControlImplementationsRepository } from './control-implementations.repository';

export const OBLIGATION_STATUSES = [
  'prohibited',
  'controls_implemented',
  'partly_implemented',
  'open',
  'not_tracked',
] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export interface ObligationRuleView {
  id: string;
  reason: string;
  basis: string;
  /** The provision that dates the rule, when it moves the catalog's date (Art. 113(c) for the Annex I route). */
  dateBasis: string | null;
  /** Unanswered facts the rule was taken to hold on. */
  assumed: string[];
}

export interface ObligationView {
  /** The article that binds the system, e.g. `Art. 9`. */
  article: string;
  title: string;
  kind: 'duty' | 'prohibition';
  /** The earliest date any of its provisions applies to this system from (YYYY-MM-DD). */
  appliesFrom: string;
  appliesToday: boolean;
  /** The rule that brings it in with the earliest date; `alsoRequiredBy` names the others. */
  rule: ObligationRuleView;
  alsoRequiredBy: string[];
  /** The catalog provisions below the article that bind this system; empty for an article the catalog does not hold. */
  requirements: Array<{ ref: string; title: string; appliesFrom: string; appliesToday: boolean }>;
  /** The controls that give a sufficient path to those provisions, with their status for this system. */
  controls: Array<{ code: string; title: string; status: string }>;
  /**
   * prohibited: the system must not be placed on the market or used; controls_implemented: every provision has a
   * sufficient path whose controls are implemented; partly_implemented: some such control is; open: none is;
   * not_tracked: an article outside the catalog, with no controls to track.
   */
  status: ObligationStatus;
}

export interface SystemObligations {
  systemId: string;
  /** Whether the AI Act reaches the system at all (Art. 2(1)), and the rules that decided. */
  aiActApplies: boolean;
  scope: ObligationRuleView[];
  riskTier: string;
  riskTierReason: string;
  aiActRole: string | null;
  gpaiModel: string | null;
  /** The day "applies today" is judged on (UTC). */
  today: string;
  obligations: ObligationView[];
}

const DONE = 'implemented';

/**
 * The AI Act obligations of a system, from policies/ai-act-obligations.yaml (role x risk tier x GPAI): each article
 * that binds it, the date it applies from and whether it applies today, the rule that produced it and the controls
 * that meet it.
 */
@Injectable()
export class ObligationsService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly applicability: ApplicabilityService,
    private readonly policies: PolicyLoader,
    private readonly index: CatalogIndex,
    private readonly implementations: ControlImplementationsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The obligations of a system the actor may see (404 otherwise, as for the other system routes). */
  async obligationsOf(actor: Actor, id: string): Promise<SystemObligations> {
    return this.forSystem(await this.systems.getEntity(actor, id));
  }

  /** `at` is the instant "applies today" is judged at (a pack's as-of); the app's clock by default. */
  async forSystem(system: AiSystemEntity, snapshot?: CatalogSnapshot, at?: Date): Promise<SystemObligations> {
    const catalog = snapshot ?? (await this.index.get());
    const policy = this.policies.policies.obligations;
    const today = iso(at ?? this.clock.now()).slice(0, 10);
    const applicability = await this.applicability.evaluate(system, catalog);
    const framework = applicability.frameworks.find((f) => f.framework === policy.framework);
    const base = {
      systemId: system.id,
      aiActApplies: framework?.applies ?? false,
      scope: (framework?.rules ?? []).map((r) => ({ ...r, dateBasis: null })),
      riskTier: effectiveRiskTier(system),
      riskTierReason: system.riskTierOverride
        ? (system.riskTierOverrideJustification ?? system.riskTierReason)
        : system.riskTierReason,
      aiActRole: system.aiActRole,
      gpaiModel: system.gpaiModel,
      today,
    };
    if (!framework?.applies) return { ...base, obligations: [] };

    const facts = factsOf(system);
    const fired = new Map<string, { rule: ObligationRule; assumed: string[]; order: number }>();
    policy.rules.forEach((rule, order) => {
      const outcome = explain(rule.when, facts);
      if (outcome.holds) fired.set(rule.id, { rule, assumed: outcome.assumed, order });
    });
    const applicable = new Set(
      applicability.requirements
        .filter((r) => r.framework === policy.framework && r.applies)
        .map((r) => r.requirementId),
    );
    const byLeaf = this.applicability.obligationIndex(catalog);
    const implemented = new Map(
      (await this.implementations.findBySystem(system.id)).map((i) => [i.controlCode, i.status]),
    );

    // article ref -> the leaves that bind the system, each with the fired rules that reach it
    const articles = new Map<
      string,
      { article: RequirementEntity; leaves: Array<{ leaf: RequirementEntity; rules: ObligationRule[] }> }
    >();
    for (const leaf of catalog.leavesByFramework.get(policy.framework) ?? []) {
      if (!applicable.has(leaf.id)) continue;
      const rules = (byLeaf.get(leaf.id) ?? []).filter((r) => fired.has(r.id));
      if (rules.length === 0) continue;
      const article = articleOf(catalog, leaf);
      const entry = articles.get(article.ref) ?? { article, leaves: [] };
      entry.leaves.push({ leaf, rules });
      articles.set(article.ref, entry);
    }
    const dateOf = (rule: ObligationRule, leaf: RequirementEntity) => {
      const own = leaf.attributes.applies_from ?? today;
      return rule.appliesFrom && rule.appliesFrom > own ? rule.appliesFrom : own;
    };
    const view = (rule: ObligationRule): ObligationRuleView => ({
      id: rule.id,
      reason: rule.reason,
      basis: rule.basis,
      dateBasis: rule.dateBasis,
      assumed: fired.get(rule.id)!.assumed,
    });
    const obligations: Array<ObligationView & { position: number }> = [];
    for (const { article, leaves } of articles.values()) {
      const requirements = leaves.map(({ leaf, rules }) => {
        const appliesFrom = rules.map((r) => dateOf(r, leaf)).sort()[0];
        return { ref: leaf.ref, title: leaf.title, appliesFrom, appliesToday: appliesFrom <= today };
      });
      const rules = [...new Set(leaves.flatMap((l) => l.rules))];
      const earliest = (rule: ObligationRule) =>
        leaves
          .filter((l) => l.rules.includes(rule))
          .map((l) => dateOf(rule, l.leaf))
          .sort()[0];
      rules.sort((a, b) => earliest(a).localeCompare(earliest(b)) || fired.get(a.id)!.order - fired.get(b.id)!.order);
      const appliesFrom = requirements.map((r) => r.appliesFrom).sort()[0];
      const kind = rules.some((r) => r.kind === 'prohibition') ? 'prohibition' : 'duty';
      const { controls, status } = this.controlsOf(
        catalog,
        leaves.map((l) => l.leaf),
        implemented,
      );
      obligations.push({
        article: article.ref,
        title: article.title,
        kind,
        appliesFrom,
        appliesToday: appliesFrom <= today,
        rule: view(rules.find((r) => r.kind === 'prohibition') ?? rules[0]),
        alsoRequiredBy: rules
          .map((r) => r.id)
          .filter((id) => id !== (rules.find((r) => r.kind === 'prohibition') ?? rules[0]).id),
        requirements,
        controls,
        status: kind === 'prohibition' ? 'prohibited' : status,
        position: article.position,
      });
    }
    // Duties the catalog does not hold paragraph by paragraph (importers, distributors): shown, not tracked.
    for (const { rule } of fired.values()) {
      if (!rule.article) continue;
      const appliesFrom = rule.appliesFrom!;
      const existing = obligations.find((o) => o.article === rule.article);
      if (existing) {
        if (appliesFrom < existing.appliesFrom)
          Object.assign(existing, { appliesFrom, appliesToday: appliesFrom <= today, rule: view(rule) });
        else existing.alsoRequiredBy.push(rule.id);
        continue;
      }
      obligations.push({
        article: rule.article,
        title: rule.title!,
        kind: rule.kind,
        appliesFrom,
        appliesToday: appliesFrom <= today,
        rule: view(rule),
        alsoRequiredBy: [],
        requirements: [],
        controls: [],
        status: rule.kind === 'prohibition' ? 'prohibited' : 'not_tracked',
        position: Number.MAX_SAFE_INTEGER,
      });
    }
    obligations.sort((a, b) => a.position - b.position || articleNumber(a.article) - articleNumber(b.article));
    return { ...base, obligations: obligations.map(({ position: _position, ...o }) => o) };
  }

  /** The controls with a sufficient path to the leaves (single mapping or jointly-sufficient set) and how far they are implemented. */
  private controlsOf(catalog: CatalogSnapshot, leaves: RequirementEntity[], implemented: Map<string, string>) {
    const codes = new Set<string>();
    let met = 0;
    let started = false;
    for (const leaf of leaves) {
      const paths: string[][] = (catalog.mappingsByRequirement.get(leaf.id) ?? [])
        .filter((m) => isSufficientMapping(m, catalog.coverage.threshold))
        .map((m) => [m.controlCode]);
      for (const set of catalog.coverage.jointSetsByRequirement.get(leaf.id) ?? []) paths.push(set.controls);
      for (const path of paths) path.forEach((c) => codes.add(c));
      if (paths.some((path) => path.every((c) => implemented.get(c) === DONE))) met++;
      if (paths.some((path) => path.some((c) => implemented.get(c) === DONE))) started = true;
    }
    const controls = [...codes].sort().map((code) => ({
      code,
      title: catalog.controlByCode.get(code)?.title ?? code,
      status: implemented.get(code) ?? 'not_started',
    }));
    const status: ObligationStatus =
      met === leaves.length ? 'controls_implemented' : started ? 'partly_implemented' : 'open';
    return { controls, status };
  }
}

// The article above each leaf changes only with the catalog, so it is worked out once per snapshot.
const articlesBySnapshot = new WeakMap<CatalogSnapshot, Map<string, RequirementEntity>>();

function articleOf(catalog: CatalogSnapshot, leaf: RequirementEntity): RequirementEntity {
  let articles = articlesBySnapshot.get(catalog);
  if (!articles) {
    articles = new Map();
    const byRef = new Map(catalog.requirements.map((r) => [`${r.frameworkKey}|${r.ref}`, r]));
    for (const r of catalog.requirements) {
      if (!r.isLeaf) continue;
      let node: RequirementEntity | undefined = r;
      while (node && node.level !== 'article' && node.parentRef)
        node = byRef.get(`${r.frameworkKey}|${node.parentRef}`);
      articles.set(r.id, node && node.level === 'article' ? node : r);
    }
    articlesBySnapshot.set(catalog, articles);
  }
  return articles.get(leaf.id) ?? leaf;
}

const articleNumber = (ref: string) => Number(/\d+/.exec(ref)?.[0] ?? Number.MAX_SAFE_INTEGER);
