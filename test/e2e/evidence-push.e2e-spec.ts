import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesUnder } from '../factories/files';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const CLI = path.join(__dirname, '..', '..', 'bin', 'workbench-evidence.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a pipeline would: a child process with only the environment it is given. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Requirement {
  requirementId: string;
  ref: string;
  status: string;
  controls: Array<{ code: string; sufficient: boolean }>;
}
type Framework = { framework: string; requirements: Requirement[] };

describe('evidence push: provenance, Idempotency-Key, receipt and the CLI (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;
  let workDir: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    baseUrl = await t.app.getUrl();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-push-'));
  });
  afterAll(async () => {
    fs.rmSync(workDir, { recursive: true, force: true });
    await t?.close();
  });

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);
  const stored = async () => ({
    evidence: await count('evidence'),
    audit: await count('audit_log'),
    keys: await count('idempotency_keys'),
    files: filesUnder(t.config.dataDir).filter((f) => !f.includes('tmp')).length,
  });

  async function newSystem(name: string): Promise<string> {
    return (await t.http().post('/api/v1/systems').set(specialist()).send(allFrameworksSystem({ name })).expect(201))
      .body.id;
  }
  const coverage = async (systemId: string): Promise<Framework[]> =>
    (await t.http().get(`/api/v1/systems/${systemId}/coverage`).set(specialist()).expect(200)).body.frameworks;

  function push(
    systemId: string,
    options: {
      content?: string;
      key?: string;
      as?: Record<string, string>;
      title?: string;
      codes?: string[];
      fields?: Record<string, string>;
    } = {},
  ) {
    const req = t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(options.as ?? engineer());
    if (options.key !== undefined) req.set('Idempotency-Key', options.key);
    for (const code of options.codes ?? ['AIG-EVL-03']) req.field('controlCodes[]', code);
    for (const [name, value] of Object.entries(options.fields ?? {})) req.field(name, value);
    return req
      .field('title', options.title ?? 'Bias evaluation')
      .field('kind', 'test_report')
      .field('collectedAt', '2026-01-05T10:00:00.000Z')
      .attach('file', Buffer.from(options.content ?? `metrics ${randomUUID()}\n`), {
        filename: 'eval.txt',
        contentType: 'text/plain',
      });
  }

  describe('provenance', () => {
    let systemId: string;
    beforeAll(async () => {
      systemId = await newSystem('Provenance');
    });

    it('is stored as sent (one JSON field or provenance[field] parts), shown in the evidence view and the audit entry', async () => {
      const provenance = {
        source: 'github-actions',
        pipeline: 'acme/model/.github/workflows/eval.yml',
        runUrl: 'https://github.com/acme/model/actions/runs/42',
        commitSha: 'ABCDEF1234567',
        modelVersion: '2.1.0',
        datasetVersion: 'eval-2026-01',
      };
      const json = await push(systemId, { fields: { provenance: JSON.stringify(provenance) } }).expect(201);
      expect(json.body.provenance).toEqual({ ...provenance, commitSha: 'abcdef1234567' });
      // The evidence's model version comes from the provenance when the upload names none.
      expect(json.body.modelVersion).toBe('2.1.0');
      const got = await t.http().get(`/api/v1/evidence/${json.body.id}`).set(engineer()).expect(200);
      expect(got.body.provenance).toEqual(json.body.provenance);
      const entry = await t.dataSource.query(
        `SELECT payload FROM "audit_log" WHERE "entityId" = ${t.database.kind === 'postgres' ? '$1' : '?'}`,
        [json.body.id],
      );
      expect(JSON.parse(entry[0].payload).provenance).toEqual(json.body.provenance);

      const parts = await push(systemId, {
        fields: { 'provenance[source]': 'gitlab-ci', 'provenance[commitSha]': 'deadbeef' },
      }).expect(201);
      expect(parts.body.provenance).toEqual({ source: 'gitlab-ci', commitSha: 'deadbeef' });
      const listed = await t.http().get(`/api/v1/systems/${systemId}/evidence`).set(engineer()).expect(200);
      expect(listed.body.find((e: { id: string }) => e.id === parts.body.id).provenance).toEqual(parts.body.provenance);
      const plain = await push(systemId).expect(201);
      expect(plain.body.provenance).toBeNull();

      const page = await t.http().get(`/systems/${systemId}`).set(engineer()).expect(200);
      expect(page.text).toContain('href="https://github.com/acme/model/actions/runs/42"');
    });

    it.each([
      [{ runUrl: 'ftp://example.com/run/1' }, /provenance\.runUrl must be an http\(s\) URL/],
      [{ runUrl: 'javascript:alert(1)' }, /provenance\.runUrl must be an http\(s\) URL/],
      [{ commitSha: 'xyz1234' }, /provenance\.commitSha must be 7 to 64 hex digits/],
      [{ commitSha: 'abc12' }, /provenance\.commitSha must be 7 to 64 hex digits/],
      [{ commitSha: 'a'.repeat(65) }, /provenance\.commitSha must be 7 to 64 hex digits/],
      [{ pipeline: 'p'.repeat(201) }, /provenance\.pipeline/],
      [{ source: 'line\nbreak' }, /provenance\.source must be a single line/],
      [{ colour: 'blue' }, /provenance\.property colour should not exist|colour should not exist/],
      ['not json', /provenance must be an object/],
      [['an', 'array'], /provenance must be an object/],
    ])('refuses provenance %j with a 400 naming the field, storing nothing', async (provenance, message) => {
      const before = await stored();
      const res = await push(systemId, {
        fields: { provenance: typeof provenance === 'string' ? provenance : JSON.stringify(provenance) },
      }).expect(400);
      expect(JSON.stringify(res.body)).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  });

  describe('Idempotency-Key', () => {
    let systemId: string;
    beforeAll(async () => {
      systemId = await newSystem('Idempotent');
    });

    it('the same key and content return the first receipt (200, same id) and store nothing; other content is a 409', async () => {
      const key = `run-${randomUUID()}`;
      const content = `accuracy 0.93 ${randomUUID()}\n`;
      const first = await push(systemId, { key, content }).expect(201);
      expect(first.body).toMatchObject({ idempotencyKey: key, replayed: false });
      const before = await stored();

      const again = await push(systemId, { key, content }).expect(200);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body).toMatchObject({ replayed: true, sha256: first.body.sha256 });
      expect(await stored()).toEqual(before);

      const otherFile = await push(systemId, { key, content: `${content}changed` }).expect(409);
      expect(otherFile.body.code).toBe('idempotency_conflict');
      expect(otherFile.body.message).toContain(first.body.id);
      const otherTitle = await push(systemId, { key, content, title: 'Another title' }).expect(409);
      expect(otherTitle.body.code).toBe('idempotency_conflict');
      const otherSystem = await push(await newSystem('Other'), { key, content }).expect(409);
      expect(otherSystem.body.code).toBe('idempotency_conflict');
      expect(await count('evidence')).toBe(before.evidence);
    });

    it("keys are the caller's own: another user's same key stores their own evidence", async () => {
      const key = `shared-${randomUUID()}`;
      const content = `shared ${randomUUID()}\n`;
      const mine = await push(systemId, { key, content }).expect(201);
      const theirs = await push(systemId, { key, content, as: specialist() }).expect(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('two concurrent pushes with one key store one item and both answer with its id', async () => {
      const key = `race-${randomUUID()}`;
      const content = `race ${randomUUID()}\n`;
      const before = await stored();
      const results = await Promise.all([push(systemId, { key, content }), push(systemId, { key, content })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const after = await stored();
      expect([after.evidence, after.keys, after.audit]).toEqual([
        before.evidence + 1,
        before.keys + 1,
        before.audit + 1,
      ]);
    });

    it.each([['x'.repeat(201)], ['tab\there'], ['é-accent']])(
      'refuses the key %j with a 400 naming the header',
      async (key) => {
        const before = await stored();
        const res = await push(systemId, { key }).expect(400);
        expect(res.body.message).toMatch(/Idempotency-Key/);
        expect(await stored()).toEqual(before);
      },
    );

    it('an expired key (older than 24 h) may be used again for new content', async () => {
      const key = `old-${randomUUID()}`;
      await push(systemId, { key }).expect(201);
      await t.dataSource.query(
        `UPDATE "idempotency_keys" SET "createdAt" = '2020-01-01T00:00:00.000Z' WHERE "key" = ${t.database.kind === 'postgres' ? '$1' : '?'}`,
        [key],
      );
      const reused = await push(systemId, { key, content: 'new content\n' }).expect(201);
      expect(reused.body.replayed).toBe(false);
    });
  });

  describe('receipt', () => {
    it('names the hash and size the server computed and the coverage changes: none for submitted evidence, covered -> partial when it supersedes the accepted item', async () => {
      const systemId = await newSystem('Receipt');
      const frameworks = await coverage(systemId);
      const target = frameworks
        .flatMap((f) => f.requirements.map((r) => ({ framework: f.framework, ...r })))
        .find((r) => r.status === 'gap' && r.controls.some((c) => c.sufficient))!;
      const code = target.controls.find((c) => c.sufficient)!.code;
      await t
        .http()
        .patch(`/api/v1/systems/${systemId}/controls/${code}`)
        .set(specialist())
        .send({ status: 'implemented', statement: 'In place' })
        .expect(200);

      const content = `first ${randomUUID()}\n`;
      const first = await push(systemId, { codes: [code], content }).expect(201);
      expect(first.body).toMatchObject({
        sha256: createHash('sha256').update(content).digest('hex'),
        sizeBytes: Buffer.byteLength(content),
        controlCodes: [code],
        requirementRefs: [],
        reviewStatus: 'submitted',
      });
      // Submitted evidence is not yet current accepted evidence: the coverage rule moves nothing.
      expect(first.body.coverageChanges).toEqual({ frameworks: [], requirements: [] });
      await t
        .http()
        .post(`/api/v1/evidence/${first.body.id}/review`)
        .set(specialist())
        .send({ decision: 'accepted' })
        .expect(200);
      const covered = await coverage(systemId);
      const ref = `${target.framework}:${target.ref}`;
      const statusOf = (fs: Framework[], framework: string, requirementId: string) =>
        fs.find((f) => f.framework === framework)!.requirements.find((r) => r.requirementId === requirementId)!.status;
      expect(statusOf(covered, target.framework, target.requirementId)).toBe('covered');

      const replacing = await push(systemId, { codes: [code], fields: { supersedesId: first.body.id } }).expect(201);
      const changes = replacing.body.coverageChanges;
      expect(changes.requirements).toContainEqual(
        expect.objectContaining({ requirement: ref, before: 'covered', after: 'partial' }),
      );
      // Every change the receipt reports is what the coverage API now says, and nothing else moved.
      const after = await coverage(systemId);
      for (const change of changes.requirements) {
        const framework = after.find((f) => f.framework === change.framework)!;
        expect(framework.requirements.find((r) => `${change.framework}:${r.ref}` === change.requirement)!.status).toBe(
          change.after,
        );
      }
      const moved = after.flatMap((f) =>
        f.requirements
          .filter((r) => statusOf(covered, f.framework, r.requirementId) !== r.status)
          .map((r) => `${f.framework}:${r.ref}`),
      );
      expect(changes.requirements.map((c: { requirement: string }) => c.requirement).sort()).toEqual(moved.sort());
      expect(changes.frameworks.map((f: { framework: string }) => f.framework)).toContain(target.framework);
    });
  });

  describe('the CLI', () => {
    let systemId: string;
    let file: string;
    const token = () => t.users.engineer.token;
    const base = () => [
      'push',
      '--url',
      baseUrl,
      '--system',
      systemId,
      '--control',
      'AIG-EVL-03',
      '--kind',
      'test_report',
    ];
    beforeAll(async () => {
      systemId = await newSystem('CLI');
      file = path.join(workDir, 'eval-results.json');
      fs.writeFileSync(file, JSON.stringify({ accuracy: 0.94, run: randomUUID() }));
    });

    it('pushes a file with provenance from the CI variables and prints a one-line receipt it checked', async () => {
      const run = await cli([...base(), '--idempotency-key', 'gh-42-1', '--dataset-version', 'eval-v3', file], {
        WORKBENCH_TOKEN: token(),
        GITHUB_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/model',
        GITHUB_WORKFLOW: 'evaluate',
        GITHUB_RUN_ID: '42',
        GITHUB_SHA: 'a'.repeat(40),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toMatch(new RegExp(`^stored \\| evidence [0-9a-f-]{36} \\| sha256 ${sha} \\|`));
      expect(run.stdout).toContain('coverage: no change');
      expect(run.stdout + run.stderr).not.toContain(token());
      const id = /evidence ([0-9a-f-]{36})/.exec(run.stdout)![1];
      const got = await t.http().get(`/api/v1/evidence/${id}`).set(engineer()).expect(200);
      expect(got.body).toMatchObject({
        title: 'eval-results.json',
        mediaType: 'application/json',
        provenance: {
          source: 'github-actions',
          pipeline: 'acme/model/evaluate',
          runUrl: 'https://github.com/acme/model/actions/runs/42',
          commitSha: 'a'.repeat(40),
          datasetVersion: 'eval-v3',
        },
      });

      // The job retried: the same file and key (collectedAt is the file's modification time) are a replay.
      const before = await stored();
      const again = await cli([...base(), '--idempotency-key', 'gh-42-1', '--dataset-version', 'eval-v3', file], {
        WORKBENCH_TOKEN: token(),
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/model',
        GITHUB_WORKFLOW: 'evaluate',
        GITHUB_RUN_ID: '42',
        GITHUB_SHA: 'a'.repeat(40),
      });
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`^replayed \\| evidence ${id} \\|`));
      expect(await stored()).toEqual(before);

      // The same key for a changed file is refused, and says so.
      fs.writeFileSync(file, JSON.stringify({ accuracy: 0.5, run: randomUUID() }));
      const changed = await cli([...base(), '--idempotency-key', 'gh-42-1', file], { WORKBENCH_TOKEN: token() });
      expect(changed.code).toBe(4);
      expect(changed.stderr).toMatch(/Refused \(HTTP 409 idempotency_conflict\)/);
      expect(await stored()).toEqual(before);
    });

    it('GitLab CI variables give the provenance; a retry with the same key and pinned fields is a replay', async () => {
      const args = [
        ...base(),
        '--idempotency-key',
        `gl-${randomUUID()}`,
        '--collected-at',
        '2026-01-05T10:00:00Z',
        file,
      ];
      const env = {
        WORKBENCH_TOKEN: token(),
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: 'b'.repeat(40),
        CI_PROJECT_PATH: 'acme/model',
        CI_JOB_NAME: 'eval',
        CI_JOB_URL: 'https://gitlab.example.com/acme/model/-/jobs/7',
      };
      const first = await cli(args, env);
      expect(first.code).toBe(0);
      const before = await stored();
      const second = await cli(args, env);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^replayed \| /);
      expect(/evidence ([0-9a-f-]{36})/.exec(second.stdout)![1]).toBe(
        /evidence ([0-9a-f-]{36})/.exec(first.stdout)![1],
      );
      expect(await stored()).toEqual(before);
      const id = /evidence ([0-9a-f-]{36})/.exec(first.stdout)![1];
      const got = await t.http().get(`/api/v1/evidence/${id}`).set(engineer()).expect(200);
      expect(got.body.provenance).toEqual({
        source: 'gitlab-ci',
        pipeline: 'acme/model/eval',
        runUrl: 'https://gitlab.example.com/acme/model/-/jobs/7',
        commitSha: 'b'.repeat(40),
      });
    });

    it('exits non-zero with the reason on a refusal, a bad token, a missing token and an unreachable server', async () => {
      const before = await stored();
      const unknownControl = await cli(
        ['push', '--url', baseUrl, '--system', systemId, '--control', 'AIG-ZZZ-99', '--kind', 'test_report', file],
        { WORKBENCH_TOKEN: token() },
      );
      expect(unknownControl.code).toBe(4);
      expect(unknownControl.stderr).toMatch(
        /Refused \(HTTP 400 validation_failed\): These controls do not apply to this system: AIG-ZZZ-99/,
      );

      const badToken = await cli([...base(), file], { WORKBENCH_TOKEN: 'wbt_not-a-real-token' });
      expect(badToken.code).toBe(4);
      expect(badToken.stderr).toMatch(/HTTP 401/);
      expect(badToken.stdout + badToken.stderr).not.toContain('wbt_not-a-real-token');

      const missing = await cli([...base(), '--token-env', 'CI_WORKBENCH', file], { WORKBENCH_TOKEN: token() });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/CI_WORKBENCH/);

      const unknownSystem = await cli(
        ['push', '--url', baseUrl, '--system', randomUUID(), '--control', 'AIG-EVL-03', '--kind', 'test_report', file],
        { WORKBENCH_TOKEN: token() },
      );
      expect(unknownSystem.code).toBe(4);
      expect(unknownSystem.stderr).toMatch(/HTTP 404/);

      const closed = await new Promise<number>((resolve) => {
        const server = http.createServer().listen(0, '127.0.0.1', () => {
          const port = (server.address() as AddressInfo).port;
          server.close(() => resolve(port));
        });
      });
      const unreachable = await cli(
        [
          'push',
          '--url',
          `http://127.0.0.1:${closed}`,
          '--system',
          systemId,
          '--control',
          'AIG-EVL-03',
          '--kind',
          'x',
          file,
        ],
        { WORKBENCH_TOKEN: token() },
      );
      expect(unreachable.code).toBe(5);
      expect(unreachable.stderr).toMatch(/Could not reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);

      const plainHttp = await cli(
        [
          'push',
          '--url',
          'http://workbench.example.com',
          '--system',
          systemId,
          '--control',
          'AIG-EVL-03',
          '--kind',
          'x',
          file,
        ],
        { WORKBENCH_TOKEN: token() },
      );
      expect(plainHttp.code).toBe(2);
      expect(plainHttp.stderr).toMatch(/plain http/);
      expect(await stored()).toEqual(before);

      const onCommandLine = await cli([...base(), '--token', token(), file], {});
      expect(onCommandLine.code).toBe(2);
      expect(onCommandLine.stderr).toMatch(/Do not put the token on the command line/);
      expect(onCommandLine.stdout + onCommandLine.stderr).not.toContain(token());
      // A token may begin with "-" (base64url): still the same refusal, not a parser's complaint.
      for (const args of [['--token', '-Dash1token'], ['--token=-Dash1token']]) {
        const dashed = await cli([...base(), ...args, file], {});
        expect(dashed.code).toBe(2);
        expect(dashed.stderr).toMatch(/Do not put the token on the command line/);
        expect(dashed.stdout + dashed.stderr).not.toContain('Dash1token');
      }

      const help = await cli(['--help']);
      expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Usage: workbench-evidence push')]);
    });

    it('exits 3 when the receipt names other bytes than the file it hashed', async () => {
      let received = '';
      const liar = http.createServer((req, res) => {
        req.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        req.on('end', () => {
          res.writeHead(201, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: randomUUID(), sha256: 'f'.repeat(64), sizeBytes: 3, controlCodes: [] }));
        });
      });
      await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
        const run = await cli(
          ['push', '--url', url, '--system', systemId, '--control', 'AIG-EVL-03', '--kind', 'x', file],
          {
            WORKBENCH_TOKEN: token(),
          },
        );
        expect(run.code).toBe(3);
        expect(run.stderr).toMatch(/Receipt mismatch for eval-results\.json: hashed here sha256 [0-9a-f]{64}/);
        expect(received).toContain('name="controlCodes[]"');
      } finally {
        await new Promise((resolve) => liar.close(resolve));
      }
    });
  });
});
