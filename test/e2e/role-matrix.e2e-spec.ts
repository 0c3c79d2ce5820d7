import { Controller, Get, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuthGuard } from '../../src/auth/auth.guard';
import { AuthService } from '../../src/auth/auth.service';
import { TokensService } from '../../src/tokens/tokens.service';
import { SessionEntity } from '../../src/auth/entities/session.entity';
import { loadRolePermissions } from '../../src/common/role-permissions';
import { RolePermissionsProvider } from '../../src/common/role-permissions.provider';
import { Actor, Authenticated, PERMISSIONS, Public } from '../../src/common/auth.decorators';
import { sha256Hex } from '../../src/common/canonical-json';
import { DomainErrorFilter } from '../../src/common/domain-error.filter';
import { Role, ROLES } from '../../src/users/entities/user.entity';
import { concretePath, discoverRoutes, DiscoveredRoute, expressRoutes } from '../factories/routes';
import { startTestApp, TestApp } from '../factories/test-app';

/**
 * The role matrix, generated from the router: every route of the booted app x (anonymous + every role), with the
 * decision policies/roles.yaml implies. Adding a route adds rows; a route without @Public or @Authenticated fails.
 */
type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const roles = loadRolePermissions();

/** Routes that do not declare exactly one of @Public / @Authenticated (method first, then class). */
function undecided(routes: DiscoveredRoute[]): string[] {
  return routes
    .filter((r) => r.declared.public === Boolean(r.declared.permission))
    .map(
      (r) =>
        `${r.method} ${r.path} (${r.source}): ${r.declared.public ? 'both @Public and @Authenticated' : 'neither @Public nor @Authenticated'}`,
    );
}

type Expected = 'passes the guard' | 401 | 403;

function expectedFor(route: DiscoveredRoute, caller: Caller): Expected {
  if (route.declared.public) return 'passes the guard';
  if (caller === 'anonymous') return 401;
  return roles[caller].has(route.declared.permission!) ? 'passes the guard' : 403;
}

describe('role matrix (e2e)', () => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  const seen: { route: string; caller: Caller; status: number; message?: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    routes = discoverRoutes(t.app);
  });
  afterAll(async () => t?.close());

  /** A fresh session for a write, so a route that ends sessions (logout, a role change) cannot spoil later rows. */
  async function tokenFor(role: Role): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await t.dataSource.getRepository(SessionEntity).insert({
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      userId: t.users[role].id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
      revokedAt: null,
    });
    return token;
  }

  it('discovers every route the HTTP router serves, and only those', () => {
    const discovered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    // Swagger UI registers plain Express routes for the OpenAPI document; everything else must come from a controller.
    const served = expressRoutes(t.app).filter((r) => !r.path.startsWith('/api/docs'));
    expect(served.map((r) => `${r.method} ${r.path}`).filter((r) => !discovered.has(r))).toEqual([]);
    expect([...discovered].filter((r) => !served.some((s) => `${s.method} ${s.path}` === r))).toEqual([]);
    expect([...discovered]).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/users',
        'GET /api/v1/audit-log/verify',
        'GET /health',
      ]),
    );
  });

  it('gives every route exactly one decision: @Public or @Authenticated with a known permission', () => {
    expect(undecided(routes)).toEqual([]);
    const unknown = routes.filter(
      (r) => r.declared.permission && !(PERMISSIONS as readonly string[]).includes(r.declared.permission),
    );
    expect(unknown.map((r) => `${r.method} ${r.path}: ${r.declared.permission}`)).toEqual([]);
  });

  it('keeps user management admin-only and the audit log read-only, as the HTTP contract says', () => {
    const declared = (prefix: string) =>
      Object.fromEntries(
        routes.filter((r) => r.path.startsWith(prefix)).map((r) => [`${r.method} ${r.path}`, r.declared.permission]),
      );
    expect(declared('/api/v1/users')).toEqual({
      'GET /api/v1/users': 'users:read',
      'POST /api/v1/users': 'users:write',
      'PATCH /api/v1/users/:id': 'users:write',
    });
    expect(ROLES.filter((role) => roles[role].has('users:read') || roles[role].has('users:write'))).toEqual(['admin']);
    expect(new Set(Object.values(declared('/api/v1/audit-log')))).toEqual(new Set(['audit-log:read']));
  });

  it.each(CALLERS)('answers every route for %s as policies/roles.yaml says', async (caller) => {
    const mismatches: string[] = [];
    for (const route of routes) {
      // Web UI pages that anyone may open are not API routes; their own tests cover them.
      if (route.declared.public && !route.path.startsWith('/api/') && route.path !== '/health') continue;
      const method = route.method === 'ALL' ? 'GET' : route.method;
      const bearerToken =
        caller === 'anonymous' ? undefined : SAFE.has(method) ? t.users[caller].token : await tokenFor(caller);
      const call = (t.http() as unknown as Record<string, (url: string) => request.Test>)[method.toLowerCase()](
        concretePath(route.path, randomUUID()),
      );
      if (bearerToken) call.set('Authorization', `Bearer ${bearerToken}`);
      const res = await call;
      const expected = expectedFor(route, caller);
      seen.push({ route: `${route.method} ${route.path}`, caller, status: res.status, message: res.body?.message });
      const row = `${route.method} ${route.path} as ${caller}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body?.message ?? '')}`;
      if (expected === 'passes the guard') {
        if (res.status === 401 || res.status === 403) mismatches.push(row);
      } else if (res.status !== expected) {
        mismatches.push(row);
      } else {
        // The refusal must be the guard's, in the documented error shape.
        const guardSays = expected === 401 ? /^Sign in first/ : /does not have the .+ permission$/;
        if (!guardSays.test(res.body?.message ?? '') || res.body?.statusCode !== expected)
          mismatches.push(`${row} (not the guard's refusal)`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers no empty or dummy request with a 500', () => {
    // Runs after the matrix rows above, which record every response; bad input must be a 4xx, never a server error.
    expect(seen.length).toBeGreaterThan(routes.length);
    expect(
      seen.filter((s) => s.status >= 500).map((s) => `${s.route} as ${s.caller}: ${s.status} ${s.message ?? ''}`),
    ).toEqual([]);
  });
});

describe('deny by default (guard unit)', () => {
  @Controller('throwaway')
  class UndecoratedController {
    @Get()
    open() {
      return { leaked: true };
    }
  }

  @Controller('throwaway-both')
  class BothController {
    @Get()
    @Public()
    @Authenticated({ permission: 'users:read' })
    confused() {
      return { leaked: true };
    }
  }

  @Controller('throwaway-public-class')
  @Public()
  class PublicClassController {
    @Get('open')
    open() {
      return { ok: true };
    }

    @Get('closed')
    @Authenticated({ permission: 'users:read' })
    closed() {
      return { ok: true };
    }
  }

  const admin: Actor = {
    id: 'a',
    email: 'admin@example.test',
    displayName: 'A',
    role: 'admin',
    sessionId: 's',
    csrfToken: 'c',
  };
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [UndecoratedController, BothController, PublicClassController],
      providers: [
        RolePermissionsProvider,
        {
          provide: AuthService,
          useValue: { resolve: (token: string) => Promise.resolve(token === 'admin-token' ? admin : null) },
        },
        { provide: TokensService, useValue: { authenticate: () => Promise.resolve(null) } },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new DomainErrorFilter());
    await app.init();
  });
  afterAll(async () => app?.close());

  it('refuses a route with no decorator with 403, even for an admin', async () => {
    const server = app.getHttpServer();
    for (const auth of [{}, { Authorization: 'Bearer admin-token' }]) {
      const res = await request(server).get('/throwaway').set(auth).expect(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        message: expect.stringContaining('refused by default'),
      });
      expect(res.body.leaked).toBeUndefined();
    }
  });

  it('refuses a route that declares both @Public and @Authenticated', async () => {
    await request(app.getHttpServer()).get('/throwaway-both').set('Authorization', 'Bearer admin-token').expect(403);
  });

  it("lets a method's @Authenticated override its class's @Public", async () => {
    const server = app.getHttpServer();
    await request(server).get('/throwaway-public-class/open').expect(200);
    await request(server).get('/throwaway-public-class/closed').expect(401);
    await request(server).get('/throwaway-public-class/closed').set('Authorization', 'bearer admin-token').expect(200);
  });

  it('is what makes the role matrix fail: discovery reports those routes as undecided', () => {
    expect(undecided(discoverRoutes(app))).toEqual([
      'GET /throwaway (UndecoratedController.open): neither @Public nor @Authenticated',
      'GET /throwaway-both (BothController.confused): both @Public and @Authenticated',
    ]);
  });
});
