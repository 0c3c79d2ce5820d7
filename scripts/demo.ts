// The demo workspace for a first look: a user per role, three AI systems that exercise all four frameworks, some
// controls implemented with accepted evidence and some gaps, named control owners, a period audit with a signed
// management assertion and control tests. Idempotent: it creates what is missing and, every run, sets fresh random
// passwords for the demo users and prints them. Never part of production start-up.
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppModule } from '../src/app.module';
import { AiSystemsRepository } from '../src/ai-systems/ai-systems.repository';
import { AiSystemsService } from '../src/ai-systems/ai-systems.service';
import { runWithToken } from '../src/audit-log/audit-attribution';
import { AuditsService } from '../src/audits/audits.service';
import { CatalogIndex } from '../src/catalog/catalog-index';
import { Actor } from '../src/common/auth.decorators';
import { loadConfig } from '../src/config/app.config';
import { ControlImplementationsRepository } from '../src/controls/control-implementations.repository';
import { ControlTestsService } from '../src/controls/control-tests.service';
import { ControlsService } from '../src/controls/controls.service';
import { RequirementDecisionsService } from '../src/controls/requirement-decisions.service';
import { EVIDENCE_STORAGE, EvidenceStorage } from '../src/evidence/evidence-storage';
import { EvidenceRepository } from '../src/evidence/evidence.repository';
import { EvidenceService } from '../src/evidence/evidence.service';
import { EvidencePacksService } from '../src/evidence-packs/evidence-packs.service';
import { TaskSweepService } from '../src/tasks/task-sweep.service';
import { TokensService } from '../src/tokens/tokens.service';
import { TasksService } from '../src/tasks/tasks.service';
import { Role } from '../src/users/entities/user.entity';
import { UsersRepository } from '../src/users/users.repository';
import { UsersService } from '../src/users/users.service';
import { DEMO_ASSERTION, DEMO_CONTROL_TESTS, DEMO_EVALUATIONS, DEMO_SYSTEMS, DemoSystem } from './demo-data';

const DEMO_USERS: Array<{ email: string; displayName: string; role: Role }> = [
  { email: 'admin@demo.workbench', displayName: 'Dana Admin', role: 'admin' },
  { email: 'specialist@demo.workbench', displayName: 'Grace Specialist', role: 'governance_specialist' },
  { email: 'engineer@demo.workbench', displayName: 'Eli Engineer', role: 'engineer' },
  { email: 'auditor@demo.workbench', displayName: 'Ada Auditor', role: 'auditor' },
];

/**
 * The demo makes only its own users. Left alone, the first start would also create admin@workbench.local with a
 * one-time password (the path for a plain `npm start`) and a newcomer would see two admin logins; naming the demo
 * admin as the first admin (unless the caller chose one) makes the start-up create that one instead.
 */
function chooseDemoFirstAdmin(): void {
  if (process.env.WORKBENCH_ADMIN_EMAIL) return;
  process.env.WORKBENCH_ADMIN_EMAIL = DEMO_USERS[0].email;
  process.env.WORKBENCH_ADMIN_PASSWORD = randomBytes(18).toString('base64url');
}

async function main(): Promise<void> {
  chooseDemoFirstAdmin();
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
  await app.init();
  const users = app.get(UsersService);
  const usersRepository = app.get(UsersRepository);
  const system: Actor = {
    id: 'demo',
    email: 'demo-seeder',
    displayName: 'Demo seeder',
    role: 'admin',
    sessionId: '',
    csrfToken: '',
  };

  const credentials: Array<{ email: string; role: Role; password: string }> = [];
  const actors = {} as Record<Role, Actor>;
  for (const demo of DEMO_USERS) {
    const password = randomBytes(9).toString('base64url');
    const existing = await usersRepository.findByEmail(demo.email);
    const view = existing
      ? await users.update({ ...system, id: 'demo-seeder' }, existing.id, { password, disabled: false })
      : await users.create(system, { ...demo, password: `${password}` });
    credentials.push({ email: demo.email, role: demo.role, password });
    actors[demo.role] = {
      id: view.id,
      email: view.email,
      displayName: view.displayName,
      role: view.role,
      sessionId: '',
      csrfToken: '',
    };
  }

  const systems = app.get(AiSystemsService);
  const systemsRepository = app.get(AiSystemsRepository);
  const controls = app.get(ControlsService);
  const evidence = app.get(EvidenceService);
  const storage = app.get<EvidenceStorage>(EVIDENCE_STORAGE);
  const existingNames = new Set((await systemsRepository.findAllActive()).map((s) => s.name));
  const created: string[] = [];
  for (const demo of DEMO_SYSTEMS) {
    if (existingNames.has(demo.system.name)) continue;
    const id = await seedSystem(
      demo,
      actors,
      systems,
      controls,
      evidence,
      storage,
      app.get(RequirementDecisionsService),
    );
    await nameOwners(app, actors, id);
    created.push(demo.system.name);
  }
  await seedExtras(app, actors);
  await app.close();

  const url = `http://${config.host}:${config.port}`;
  console.log(`\nDemo workspace ready (${created.length ? `created: ${created.join(', ')}` : 'already seeded'}).`);
  console.log(
    `Sign in at ${url}/login with one of these (passwords are new on every run; the demo creates only these users):\n`,
  );
  for (const c of credentials) console.log(`  ${c.role.padEnd(22)} ${c.email.padEnd(28)} ${c.password}`);
  console.log('');
}

async function seedSystem(
  demo: DemoSystem,
  actors: Record<Role, Actor>,
  systems: AiSystemsService,
  controls: ControlsService,
  evidence: EvidenceService,
  storage: EvidenceStorage,
  decisions: RequirementDecisionsService,
): Promise<string> {
  const specialist = actors.governance_specialist;
  const created = await systems.create(specialist, demo.system);
  for (const step of demo.controls) {
    if (step.status === 'in_progress' || step.status === 'implemented') {
      await controls.update(specialist, created.id, step.code, {
        status: 'in_progress',
        statement: step.statement,
        owner: step.owner,
      });
    }
    if (step.evidence) {
      const content = Buffer.from(step.evidence.content, 'utf8');
      const staged = await storage.stage(Readable.from([content]), 10 * 1024 * 1024);
      const daysAgo = step.evidence.collectedDaysAgo ?? 10;
      const uploaded = await evidence.upload(
        actors.engineer,
        created.id,
        {
          controlCodes: [step.code],
          title: step.evidence.title,
          kind: step.evidence.kind,
          collectedAt: new Date(Date.now() - daysAgo * 86400000).toISOString(),
          validUntil: step.evidence.validDays
            ? new Date(Date.now() + (step.evidence.validDays - daysAgo) * 86400000).toISOString()
            : undefined,
        },
        { staged, originalName: step.evidence.fileName, claimedMediaType: 'text/plain' },
      );
      if (step.evidence.review)
        await evidence.review(specialist, uploaded.id, {
          decision: step.evidence.review,
          comment: step.evidence.review === 'rejected' ? 'Does not show the production configuration' : undefined,
        });
    }
    if (step.status === 'implemented')
      await controls.update(specialist, created.id, step.code, { status: 'implemented' });
    if (step.status === 'not_applicable') {
      await controls.update(specialist, created.id, step.code, {
        status: 'not_applicable',
        justification: step.justification ?? 'Not relevant for this system',
      });
    }
  }
  for (const decision of demo.decisions ?? []) await decisions.decide(specialist, created.id, decision);
  return created.id;
}

/** The demo user of the catalog's owner role owns each control: the engineer for engineering controls, else Grace. */
function ownerOf(actors: Record<Role, Actor>, ownerRole: string | undefined): Actor {
  return ownerRole === 'engineer' ? actors.engineer : actors.governance_specialist;
}

/** Names an owner on every control implementation of the system. */
async function nameOwners(app: INestApplicationContext, actors: Record<Role, Actor>, systemId: string): Promise<void> {
  const catalog = await app.get(CatalogIndex).get();
  const controls = app.get(ControlsService);
  for (const implementation of await app.get(ControlImplementationsRepository).findBySystem(systemId)) {
    const owner = ownerOf(actors, catalog.controlByCode.get(implementation.controlCode)?.ownerRole);
    await controls.update(actors.governance_specialist, systemId, implementation.controlCode, {
      ownerUserId: owner.id,
    });
  }
}

/**
 * Evaluation runs as a pipeline pushes them: through an API token the specialist made for this system only (so the
 * audit log names the token), each accepted by the administrator (not the token's creator, who counts as uploader).
 */
async function seedEvaluations(app: INestApplicationContext, actors: Record<Role, Actor>): Promise<void> {
  const systemId = (await app.get(AiSystemsRepository).findAllActive()).find(
    (s) => s.name === DEMO_EVALUATIONS.system,
  )!.id;
  const tokens = app.get(TokensService);
  const { token } = await tokens.create(actors.governance_specialist, {
    name: DEMO_EVALUATIONS.tokenName,
    permissions: ['evidence:upload'],
    systemIds: [systemId],
  });
  const pipeline = (await tokens.authenticate(token, '127.0.0.1'))!;
  const attribution = { actor: pipeline.email, tokenId: pipeline.token!.id, tokenName: pipeline.token!.name };
  const evidence = app.get(EvidenceService);
  const storage = app.get<EvidenceStorage>(EVIDENCE_STORAGE);
  let previous: string | undefined;
  for (const run of DEMO_EVALUATIONS.runs) {
    const content = Buffer.from(
      JSON.stringify({
        model: { name: 'cv-rank', version: run.modelVersion.split(' ')[1] },
        dataset: DEMO_EVALUATIONS.dataset,
        metrics: [
          { name: 'accuracy', value: run.accuracy, threshold: 0.9, direction: 'higher_is_better' },
          { name: 'false positive rate', value: run.falsePositiveRate, threshold: 0.05, direction: 'lower_is_better' },
        ],
      }),
    );
    const staged = await storage.stage(Readable.from([content]), 1024 * 1024);
    const uploaded = await runWithToken(attribution, () =>
      evidence.upload(
        pipeline,
        systemId,
        {
          controlCodes: [DEMO_EVALUATIONS.control],
          title: `Holdout evaluation of ${run.modelVersion}`,
          kind: 'evaluation',
          collectedAt: new Date(Date.now() - run.daysAgo * 86400000).toISOString(),
          modelVersion: run.modelVersion,
          supersedesId: previous,
          provenance: {
            source: 'github-actions',
            pipeline: 'people-analytics/cv-rank/evaluate',
            commitSha: run.commitSha,
            modelVersion: run.modelVersion,
            datasetVersion: DEMO_EVALUATIONS.dataset.version,
          },
        },
        { staged, originalName: 'evaluation.json', claimedMediaType: 'application/json' },
      ),
    );
    await evidence.review(actors.admin, uploaded.id, { decision: 'accepted' });
    previous = uploaded.id;
  }
}

/** Control tests of the audited controls, each by a tester who does not own the control (four-eyes). */
async function seedControlTests(app: INestApplicationContext, actors: Record<Role, Actor>): Promise<void> {
  const byName = new Map((await app.get(AiSystemsRepository).findAllActive()).map((s) => [s.name, s.id]));
  const implementations = app.get(ControlImplementationsRepository);
  const evidence = app.get(EvidenceRepository);
  const tests = app.get(ControlTestsService);
  for (const test of DEMO_CONTROL_TESTS) {
    const systemId = byName.get(test.system)!;
    const owner = (await implementations.findOne(systemId, test.code))?.ownerUserId;
    const tester = owner === actors.governance_specialist.id ? actors.admin : actors.governance_specialist;
    const linked = (await evidence.findBySystems([systemId]))
      .filter((e) => e.controlCodes.includes(test.code) && e.reviewStatus === 'accepted')
      .map((e) => e.id);
    await tests.create(tester, systemId, test.code, {
      testedAt: new Date(Date.now() - test.daysAgo * 86400000).toISOString(),
      procedure: test.procedure,
      populationSize: test.populationSize,
      sampleSize: test.sampleSize,
      result: test.result,
      evidenceIds: linked,
      notes: test.notes,
    });
  }
}

/**
 * A period audit for the auditor with a signed management assertion, control tests, the generated tasks (some
 * handed to the engineer) and a first pack.
 */
async function seedExtras(app: INestApplicationContext, actors: Record<Role, Actor>): Promise<void> {
  const specialist = actors.governance_specialist;
  const audits = app.get(AuditsService);
  const existing = await audits.list(specialist);
  if (existing.total > 0) return;
  const byName = new Map((await app.get(AiSystemsRepository).findAllActive()).map((s) => [s.name, s.id]));
  const year = new Date().getUTCFullYear();
  const audit = await audits.create(specialist, {
    name: `FY${year} AI governance readiness review`,
    type: 'period',
    systemIds: [byName.get('CV screening model')!, byName.get('Customer support chatbot')!],
    frameworks: ['nist-ai-rmf-1.0', 'gdpr', 'soc2-tsc-2017'],
    periodStart: `${year}-01-01T00:00:00.000Z`,
    periodEnd: `${year}-12-31T23:59:59.000Z`,
    auditorIds: [actors.auditor.id],
  });
  await audits.update(specialist, audit.id, { assertion: DEMO_ASSERTION });
  await audits.signOffAssertion(specialist, audit.id);
  await seedControlTests(app, actors);
  await seedEvaluations(app, actors);
  await app.get(TaskSweepService).run();
  const tasks = app.get(TasksService);
  const open = await tasks.list(specialist, { status: 'open' });
  const forEngineer = open.items.filter((t: { assigneeRole: string }) => t.assigneeRole === 'engineer').slice(0, 4);
  for (const task of forEngineer) {
    await tasks.update(specialist, task.id, {
      assigneeUserId: actors.engineer.id,
      dueDate: new Date(Date.now() + 14 * 86400000).toISOString(),
    });
  }
  if (forEngineer[0])
    await tasks.transition(actors.engineer, forEngineer[0].id, { to: 'in_progress', comment: 'Looking into it' });
  await app.get(EvidencePacksService).request(specialist, { auditId: audit.id });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
