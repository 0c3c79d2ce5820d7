// Validates policies/ and prints per-framework counts and unmapped leaf requirements. Exit 1 on any problem, so a
// governance team can run it in its own CI: `npm run policies:check [-- path/to/policies]`.
import * as path from 'node:path';
import { loadPolicySet, PolicyValidationError } from '../src/catalog/policy-files';
import { coverageOfLibrary } from '../src/catalog/library-coverage';

const root = path.resolve(process.argv[2] ?? 'policies');
try {
  const policies = loadPolicySet(root);
  const report = coverageOfLibrary(policies);
  console.log(`policies OK: ${policies.frameworks.length} frameworks, ${policies.controls.length} controls, ${report.mappingCount} mappings`);
  for (const framework of report.frameworks) {
    const levels = Object.entries(framework.levels)
      .map(([level, count]) => `${count} ${level}`)
      .join(', ');
    const extra = Object.entries(framework.attributes)
      .map(([value, count]) => `${count} ${value}`)
      .join(', ');
    console.log(`\n${framework.key} (${framework.version})`);
    console.log(`  ${levels}${extra ? `; ${extra}` : ''}`);
    if (framework.groups.length > 0) console.log(`  leaves by group: ${framework.groups.map(([g, n]) => `${g} ${n}`).join(', ')}`);
    console.log(`  leaves ${framework.leaves}: mapped ${framework.mapped}, organisational ${framework.organisational}, unmapped ${framework.unmapped.length}`);
    if (framework.unmapped.length > 0) console.log(`  UNMAPPED: ${framework.unmapped.join(', ')}`);
  }
  const unmapped = report.frameworks.reduce((sum, f) => sum + f.unmapped.length, 0);
  console.log(`\nunmapped leaf requirements: ${unmapped}`);
  process.exit(unmapped === 0 ? 0 : 1);
} catch (error) {
  if (error instanceof PolicyValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
