import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as fs from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { APP_CONFIG, AppConfig, loadConfig } from '../../src/config/app.config';
import { Role } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { createTestDatabase, makeTempDir, TestDatabase } from './test-database';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  database: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Creates a user with the given role and signs them in; the token goes in Authorization: Bearer. */
  user(role: Role, name?: string): Promise<TestUser>;
  users: Record<Role, TestUser>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Start listening on a port (needed by the browser tests); otherwise supertest drives the server directly. */
  listen?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = makeTempDir();
  const database = await createTestDatabase(dataDir);
  const config = loadConfig({
    WORKBENCH_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WORKBENCH_LOGIN_MAX_FAILURES: '1000',
    WORKBENCH_ADMIN_EMAIL: 'admin@example.test',
    WORKBENCH_ADMIN_PASSWORD: TEST_PASSWORD,
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '',
    ...database.env,
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  setupApp(app);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const server = app.getHttpServer();
  const http = () => request(server);
  const counter = { n: 0 };

  async function user(role: Role, name = `${role}-${++counter.n}`): Promise<TestUser> {
    const email = `${name}@example.test`.toLowerCase();
    const created = await app.get(UsersService).create({ email: 'test-setup' }, { email, displayName: name, role, password: TEST_PASSWORD });
    const login = await http().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    return { id: created.id, email, role, token: login.body.token };
  }

  const admin = await http().post('/api/v1/auth/login').send({ email: 'admin@example.test', password: TEST_PASSWORD }).expect(200);
  const users = {
    admin: { id: admin.body.user.id, email: 'admin@example.test', role: 'admin', token: admin.body.token },
    governance_specialist: await user('governance_specialist', 'specialist'),
    engineer: await user('engineer', 'engineer'),
    auditor: await user('auditor', 'auditor'),
  } as Record<Role, TestUser>;

  return {
    app,
    config,
    dataSource: app.get(DataSource),
    database,
    http,
    user,
    users,
    close: async () => {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
