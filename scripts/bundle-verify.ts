// Verifies an evidence bundle offline: `npm run bundle:verify -- bundle.zip [expected-key-fingerprint]`. Checks
// every file against manifest.json and SHA256SUMS, manifest.sig with signing-key.pem, the audit-log checkpoint's
// signature and every entry's inclusion proof. One line per check, then a verdict; exit 0 when valid, 1 when not.
import { verifyBundle } from '../src/evidence-packs/bundle-verifier';

async function main(): Promise<number> {
  const [file, fingerprint] = process.argv.slice(2);
  if (!file) {
    console.error('usage: bundle-verify <bundle.zip> [expected signing-key fingerprint]');
    return 1;
  }
  const verdict = await verifyBundle(file, fingerprint);
  for (const check of verdict.checks) console.log(`${check.ok ? 'OK  ' : 'FAIL'} ${check.path}: ${check.detail}`);
  console.log(
    verdict.valid ? `VALID: bundle of pack ${verdict.packId}` : 'INVALID: the bundle failed the checks above',
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
