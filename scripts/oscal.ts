// OSCAL 1.2.1 JSON export and import without the HTTP server, against the configured database (WORKBENCH_* / DATABASE_URL):
//   npm run oscal -- export-system <systemId> <component-definition|assessment-results|poam> [out.json]
//   npm run oscal -- export-catalog <frameworkKey|control-library> [out.json]
//   npm run oscal -- import-catalog <file.json> [--key KEY]
// Exports print to stdout when no file is given. An import is recorded in the audit log as done by "cli:oscal".
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppModule } from '../src/app.module';
import { Actor } from '../src/common/auth.decorators';
import { DomainError } from '../src/common/domain-errors';
import { SYSTEM_DOCUMENTS, SystemDocument } from '../src/oscal/dto/oscal.dto';
import { OscalService } from '../src/oscal/oscal.service';

const CLI_ACTOR: Actor = {
  id: 'cli:oscal',
  email: 'cli:oscal',
  displayName: 'OSCAL CLI',
  role: 'admin',
  sessionId: '',
  csrfToken: '',
};
const USAGE = `usage:
  oscal export-system <systemId> <${SYSTEM_DOCUMENTS.join('|')}> [out.json]
  oscal export-catalog <frameworkKey|control-library> [out.json]
  oscal import-catalog <file.json> [--key KEY]`;

function write(document: unknown, out: string | undefined): void {
  const json = JSON.stringify(document, null, 2) + '\n';
  if (!out) {
    process.stdout.write(json);
    return;
  }
  fs.writeFileSync(path.resolve(out), json);
  console.error(`wrote ${path.resolve(out)}`);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!['export-system', 'export-catalog', 'import-catalog'].includes(command) || args.length === 0)
    throw new Error(USAGE);
  // A full application that never listens: WebModule configures the HTTP adapter while it starts, which a bare
  // application context (createApplicationContext) does not have.
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.init();
  try {
    const oscal = app.get(OscalService);
    if (command === 'export-system') {
      const [systemId, document, out] = args;
      if (!(SYSTEM_DOCUMENTS as readonly string[]).includes(document)) throw new Error(USAGE);
      write(await oscal.systemDocument(CLI_ACTOR, systemId, document as SystemDocument), out);
    } else if (command === 'export-catalog') {
      const [key, out] = args;
      write(key === 'control-library' ? await oscal.controlLibrary() : await oscal.frameworkCatalog(key), out);
    } else {
      const keyAt = args.indexOf('--key');
      const key = keyAt >= 0 ? args[keyAt + 1] : undefined;
      if (keyAt >= 0 && !key) throw new Error(USAGE);
      const file = args.find((_, i) => keyAt < 0 || (i !== keyAt && i !== keyAt + 1));
      if (!file) throw new Error(USAGE);
      const document: unknown = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
      const result = await oscal.importCatalog(CLI_ACTOR, document, key);
      console.log(
        `imported ${result.key}: ${result.name} (${result.version}), ${result.requirementCount} requirements, ${result.leafCount} leaves`,
      );
    }
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error((error as Error).message);
  if (error instanceof DomainError && error.details) console.error(JSON.stringify(error.details, null, 2));
  process.exit(1);
});
