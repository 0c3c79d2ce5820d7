import { allFrameworksSystem } from '../factories/systems';
import { discoverRoutes } from '../factories/routes';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Nest's `:id` as OpenAPI writes it (`{id}`). */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('API contract: the OpenAPI document and error codes (e2e)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(async () => t?.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] })),
    );

  it('documents every API route of the app (HTML pages aside)', () => {
    const api = discoverRoutes(t.app).filter((r) => /^\/(api|health)(\/|$)/.test(r.path));
    const missing = api
      .filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path} (${r.source})`);
    expect(missing).toEqual([]);
    expect(Object.keys(doc.paths).filter((p) => !/^\/(api|health)(\/|$)/.test(p))).toEqual([]);
  });

  it('gives every operation a 2xx response with a schema (204 aside, which has no body)', () => {
    const lacking = operations()
      .filter(({ op }) =>
        Object.entries(op.responses ?? {}).every(
          ([status, response]) =>
            !/^2\d\d$/.test(status) ||
            (status !== '204' && !Object.values(response.content ?? {}).some((media) => media.schema)),
        ),
      )
      .map(({ name }) => name);
    // Each name is a route to fix: add a response DTO and @ApiOkResponse/@ApiCreatedResponse/@ApiNoContentResponse.
    expect(lacking).toEqual([]);
  });

  it('declares bearer and cookie security exactly on the authenticated routes, with their 401/403', () => {
    const byOperation = new Map(
      discoverRoutes(t.app).map((r) => [`${r.method} ${openApiPath(r.path)}`, r.declared.public]),
    );
    const wrong = operations().flatMap(({ name, op }) => {
      const isPublic = byOperation.get(name);
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s)).sort();
      if (isPublic === undefined) return [`${name}: not a route of the app`];
      if (isPublic) return schemes.length ? [`${name}: public but declares ${schemes.join(', ')}`] : [];
      const problems: string[] = [];
      if (schemes.join() !== 'bearer,cookie') problems.push(`${name}: security is [${schemes.join(', ')}]`);
      if (!op.responses?.['401'] || !op.responses?.['403']) problems.push(`${name}: 401/403 not documented`);
      return problems;
    });
    expect(wrong).toEqual([]);
    const schemes = (doc as { components?: { securitySchemes?: Record<string, { type: string; in?: string }> } })
      .components?.securitySchemes;
    expect(schemes).toMatchObject({ bearer: { type: 'http' }, cookie: { type: 'apiKey', in: 'cookie' } });
  });

  it('puts a stable code in every error body, beside the status and message', async () => {
    const admin = bearer(t.users.admin);
    const unknownField = await t.http().post('/api/v1/users').set(admin).send({ email: 'a@b.c', admin: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(unknownField.body.message).toContain('property admin should not exist');

    const notJson = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"e":');
    expect(notJson.body).toMatchObject({ statusCode: 400, code: 'malformed_body' });

    const badId = await t.http().get('/api/v1/systems/not-a-uuid').set(admin).expect(400);
    expect(badId.body.code).toBe('validation_failed');

    const missing = await t.http().get('/api/v1/frameworks/nope/requirements').set(admin).expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found', message: 'Framework nope was not found' });
    const noRoute = await t.http().get('/api/v1/no-such-route').set(admin).expect(404);
    expect(noRoute.body.code).toBe('route_not_found');

    const anonymous = await t.http().get('/api/v1/systems').expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    const auditor = await t.http().get('/api/v1/users').set(bearer(t.users.auditor)).expect(403);
    expect(auditor.body).toMatchObject({ statusCode: 403, code: 'forbidden' });

    const duplicate = await t.http().post('/api/v1/users').set(admin).send({
      email: t.users.engineer.email,
      displayName: 'Twin',
      role: 'engineer',
      password: 'another long passphrase 42',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('conflict');

    const system = await t.http().post('/api/v1/systems').set(admin).send(allFrameworksSystem()).expect(201);
    const task = await t
      .http()
      .post('/api/v1/tasks')
      .set(admin)
      .send({ systemId: system.body.id, kind: 'review', title: 'Check the model card', assigneeRole: 'engineer' })
      .expect(201);
    const skip = await t.http().post(`/api/v1/tasks/${task.body.id}/transitions`).set(admin).send({ to: 'done' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ code: 'transition_not_allowed', details: { from: 'open', to: 'done' } });
  });
});
