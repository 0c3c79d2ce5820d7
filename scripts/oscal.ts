// OSCAL 1.2.1 JSON export and import without the HTTP server, against the configured database (WORKBENCH_* / DATABASE_URL):
//   npm run oscal -- export-system <systemId> <component-definition|assessment-results|poam> [out.json]
//   npm run oscal -- export-catalog <frameworkKey|control-library> [out.json]
//   npm run oscal -- import-catalog <file.json> [--key KEY]
//   npm run oscal -- validate <file.json>
// Exports print to stdout when no file is given. An import is recorded in the audit log as done by "cli:oscal".
// validate needs no database: it checks any OSCAL JSON file (the model from its root key) against the bundled NIST
// OSCAL 1.2.1 schemas, prints each problem by JSON path and exits 1 when there is one.
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppModule } from '../src/app.module';
import { Actor } from '../src/common/auth.decorators';
import { DomainError } from '../src/common/domain-errors';
import { SYSTEM_DOCUMENTS, SystemDocument } from '../src/oscal/dto/oscal.dto';
import { validateOscal } from '../src/oscal/oscal-schemas';
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
  oscal import-catalog <file.json> [--key KEY]
  oscal validate <file.json>`;

/** Most problems printed; the count says when there are more. */
const MAX_PRINTED = 200;

/** Exit code 0 when the file is valid OSCAL 1.2.1 of the model its root key names, 1 otherwise. */
function validate(file: string): number {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
  } catch (error) {
    console.error(`${file}: not readable JSON: ${(error as Error).message}`);
    return 1;
  }
  const { model, errors } = validateOscal(document, MAX_PRINTED + 1);
  if (errors.length === 0) {
    console.log(`${file}: valid OSCAL 1.2.1 ${model}`);
    return 0;
  }
  console.error(`${file}: not valid OSCAL 1.2.1${model ? ` ${model}` : ''}`);
  for (const error of errors.slice(0, MAX_PRINTED)) console.error(`  ${error.path}: ${error.message}`);
  if (errors.length > MAX_PRINTED) console.error(`  ... and more (first ${MAX_PRINTED} shown)`);
  return 1;
}

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
  if (!['export-system', 'export-catalog', 'import-catalog', 'validate'].includes(command) || args.length === 0)
    throw new Error(USAGE);
  if (command === 'validate') {
    if (args.length !== 1) throw new Error(USAGE);
    process.exitCode = validate(args[0]);
    return;
  }
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
