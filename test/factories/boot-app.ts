import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import * as fs from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { APP_CONFIG, AppConfig, loadConfig } from '../../src/config/app.config';
import { createTestDatabase, makeTempDir, TestDatabase } from './test-database';

export interface BootedApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  database: TestDatabase;
  dataDir: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface BootOptions {
  /** Environment on top of the test defaults; '' unsets a default (loadConfig treats '' as not set). */
  env?: Record<string, string>;
  /** Start listening on a port (needed by the browser tests); otherwise supertest drives the server directly. */
  listen?: boolean;
  /** Replace providers before compiling (a fixed clock, a failing renderer). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * Boots the real application on a database of its own (SQLite file, or a fresh PostgreSQL database when DATABASE_URL
 * is set) and signs nobody in. startTestApp builds on this; use it directly to watch start-up itself, such as the
 * first-admin bootstrap.
 */
export async function bootApp(options: BootOptions = {}): Promise<BootedApp> {
  const dataDir = makeTempDir();
  const database = await createTestDatabase(dataDir);
  const config = loadConfig({
    WORKBENCH_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // The webhook dispatcher stays off unless a test turns it on (or drives WebhookDispatcher.dispatchDue itself).
    WORKBENCH_WEBHOOK_DISPATCH_INTERVAL_MS: '0',
    WORKBENCH_LOGIN_MAX_FAILURES: '1000',
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '',
    ...database.env,
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  setupApp(app);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    database,
    dataDir,
    http: () => request(server),
    close: async () => {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
