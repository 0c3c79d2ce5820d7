// Makes a new Ed25519 signing key in the data directory: new bundles and checkpoints are signed with it, the old
// public key stays listed (GET /api/v1/signing-key) with its validity. `npm run signing-key:rotate`. Refused when
// WORKBENCH_SIGNING_KEY holds the key (put a new one there and restart every instance instead).
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { SigningKeyService } from '../src/signing/signing-key.service';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.init();
    const key = await app.get(SigningKeyService).rotate('signing-key:rotate');
    console.log(`signing key rotated: ${key.fingerprint} signs from ${key.validFrom}`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
