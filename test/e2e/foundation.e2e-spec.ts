import { bearer, startTestApp, TestApp } from '../factories/test-app';

describe('foundation (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers /health anonymously with up/down only, and never launches Chromium for a probe', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', browser: 'up' });
    expect(res.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
    // The probe above launched nothing: the renderer still reports that it has not started a browser.
    const admin = await t.http().get('/health').set(bearer(t.users.admin)).expect(200);
    expect(admin.body.details.browser).toMatchObject({ status: 'up', state: 'not_started' });
    expect(admin.body.details.browser.executable).toMatch(/chromium/);
  });

  it('shows the browser details only to a caller with health:details', async () => {
    const auditor = await t.http().get('/health').set(bearer(t.users.auditor)).expect(200);
    expect(auditor.body.details).toBeUndefined();
    expect(JSON.stringify(auditor.body)).not.toMatch(/chromium|version/i);
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/frameworks', '/api/v1/crosswalk']));
  });

  it('sends helmet headers', async () => {
    const res = await t.http().get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers errors in the documented shape, never 500 for bad input', async () => {
    const notJson = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const unknownField = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'a@b.c', password: 'x', admin: true })
      .expect(400);
    expect(unknownField.body.message).toContain('property admin should not exist');
    const missing = await t.http().get('/api/v1/frameworks/nope/requirements').set(bearer(t.users.auditor)).expect(404);
    expect(missing.body).toEqual(
      expect.objectContaining({ statusCode: 404, error: 'Not Found', message: 'Framework nope was not found' }),
    );
  });
});
