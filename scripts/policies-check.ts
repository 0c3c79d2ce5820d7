// Validates policies/ and prints, per framework, how many leaf requirements have a sufficient path (a single
// sufficient mapping or a jointly-sufficient set of policies/coverage.yaml), which have none, and any control that
// claims the same scope as two requirements of one framework. Exit 1 on any problem, so a governance team can run it
// in its own CI: `npm run policies:check [-- path/to/policies]`.
import * as path from 'node:path';
import { coverageOfLibrary, impossibleEquivalences } from '../src/catalog/library-coverage';
import { loadPolicySet, PolicyValidationError } from '../src/catalog/policy-files';
import { IncidentRulesError, loadIncidentRules } from '../src/incidents/incident-rules';
import { EvidenceKindPolicyError, loadEvidenceKindPolicy } from '../src/evidence/kinds/evidence-kind-policy';

const root = path.resolve(process.argv[2] ?? 'policies');
try {
  const policies = loadPolicySet(root);
  const report = coverageOfLibrary(policies);
  console.log(
    `policies OK: ${policies.frameworks.length} frameworks, ${policies.controls.length} controls, ${report.mappingCount} mappings`,
  );
  console.log(
    `sufficient mapping: equal-to/equivalent-to/superset-of with strength >= ${policies.coverage.threshold}; jointly-sufficient sets: ${policies.coverage.jointlySufficient.length}`,
  );
  const incidentRules = loadIncidentRules(path.join(root, 'incidents.yaml'));
  console.log(
    `incident obligation rules (policies/incidents.yaml): ${incidentRules.obligations.length}, each citing its provision`,
  );
  const threatRefs = new Set(policies.threats.rules.flatMap((r) => r.threats.map((t) => `${t.framework} ${t.ref}`)));
  console.log(
    `threat-model rules (policies/threats.yaml): ${policies.threats.rules.length}, naming ${threatRefs.size} ATLAS techniques and OWASP LLM risks`,
  );
  for (const framework of report.frameworks) {
    const levels = Object.entries(framework.levels)
      .map(([level, count]) => `${count} ${level}`)
      .join(', ');
    const extra = Object.entries(framework.attributes)
      .map(([value, count]) => `${count} ${value}`)
      .join(', ');
    console.log(`\n${framework.key} (${framework.version})`);
    console.log(`  ${levels}${extra ? `; ${extra}` : ''}`);
    if (framework.groups.length > 0)
      console.log(`  leaves by group: ${framework.groups.map(([g, n]) => `${g} ${n}`).join(', ')}`);
    console.log(
      `  leaves ${framework.leaves}: mapped ${framework.mapped}, organisational ${framework.organisational}, unmapped ${framework.unmapped.length}`,
    );
    if (framework.unmapped.length > 0) console.log(`  UNMAPPED: ${framework.unmapped.join(', ')}`);
    const withPath = framework.sufficientSingle + framework.sufficientJoint;
    console.log(
      `  sufficient path: ${withPath} of ${framework.leaves - framework.organisational} non-organisational leaves ` +
        `(${framework.sufficientSingle} by a single control, ${framework.sufficientJoint} by a jointly-sufficient set); without: ${framework.withoutPath.length}`,
    );
    if (framework.withoutPath.length > 0) console.log(`  NO SUFFICIENT PATH: ${framework.withoutPath.join(', ')}`);
  }
  // Both are refused by loadPolicySet, so a library that loads has none; printed so the report states it.
  const equivalences = impossibleEquivalences(policies.controls).length;
  const withoutPath = report.frameworks.reduce((sum, f) => sum + f.withoutPath.length, 0);
  const unmapped = report.frameworks.reduce((sum, f) => sum + f.unmapped.length, 0);
  console.log(`\nimpossible equivalences: ${equivalences}`);
  console.log(`leaves without a sufficient path (not organisational): ${withoutPath}`);
  console.log(`unmapped leaf requirements: ${unmapped}`);
  const libraryOk = equivalences + withoutPath + unmapped === 0;
  // The evidence-kind schemas compile asynchronously (the CycloneDX one reads its bundled files).
  loadEvidenceKindPolicy(path.join(root, 'evidence-kinds')).then(
    (kinds) => {
      const listed = [...kinds.kinds.values()].map(
        (k) => `${k.kind} (${k.checks.length} schema check(s), valid ${k.validityDays ?? '-'} days)`,
      );
      console.log(
        `evidence kinds (policies/evidence-kinds): ${listed.join(', ')}; evidence requested ${kinds.expiryNoticeDays} days before it expires`,
      );
      process.exit(libraryOk ? 0 : 1);
    },
    (error: unknown) => {
      console.error(error instanceof EvidenceKindPolicyError ? error.message : error);
      process.exit(1);
    },
  );
} catch (error) {
  if (error instanceof PolicyValidationError || error instanceof IncidentRulesError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
