// Verifies an evidence bundle offline: `npm run bundle:verify -- bundle.zip`. One line per file, then a verdict;
// exit 0 when valid, 1 when not (or when the file cannot be read).
import { verifyBundle } from '../src/evidence-packs/bundle-verifier';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: bundle-verify <bundle.zip>');
    return 1;
  }
  const verdict = await verifyBundle(file);
  for (const check of verdict.checks) console.log(`${check.ok ? 'OK  ' : 'FAIL'} ${check.path}: ${check.detail}`);
  console.log(
    verdict.valid ? `VALID: bundle of pack ${verdict.packId}` : 'INVALID: the bundle does not match its manifest',
  );
  return verdict.valid ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
