import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app.config';
import { Role } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { bootApp, BootOptions } from './boot-app';
import { TestDatabase } from './test-database';

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

export type TestAppOptions = BootOptions;

/** The booted app with one signed-in user per role; the admin comes from WORKBENCH_ADMIN_* as admin@example.test. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const booted = await bootApp({
    ...options,
    env: { WORKBENCH_ADMIN_EMAIL: 'admin@example.test', WORKBENCH_ADMIN_PASSWORD: TEST_PASSWORD, ...options.env },
  });
  const { app, http } = booted;
  const counter = { n: 0 };

  async function user(role: Role, name = `${role}-${++counter.n}`): Promise<TestUser> {
    const email = `${name}@example.test`.toLowerCase();
    const created = await app
      .get(UsersService)
      .create({ email: 'test-setup' }, { email, displayName: name, role, password: TEST_PASSWORD });
    const login = await http().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    return { id: created.id, email, role, token: login.body.token };
  }

  const admin = await http()
    .post('/api/v1/auth/login')
    .send({ email: 'admin@example.test', password: TEST_PASSWORD })
    .expect(200);
  const users = {
    admin: { id: admin.body.user.id, email: 'admin@example.test', role: 'admin', token: admin.body.token },
    governance_specialist: await user('governance_specialist', 'specialist'),
    engineer: await user('engineer', 'engineer'),
    auditor: await user('auditor', 'auditor'),
  } as Record<Role, TestUser>;

  return {
    app,
    config: booted.config,
    dataSource: booted.dataSource,
    database: booted.database,
    http,
    user,
    users,
    close: () => booted.close(),
  };
}

export const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
