import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { setupApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app.config';
import { Logger } from 'nestjs-pino';
import { withQuietStartup } from './common/logging.module';
import { PolicyValidationError } from './catalog/policy-files';
import { PolicyError } from './common/policy-error';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  try {
    // Start-up lines are buffered until the pino logger exists, so they come out in the same format as the rest.
    const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
    const logger = app.get(Logger);
    app.useLogger(withQuietStartup(logger));
    setupApp(app);
    await app.listen(config.port, config.host);
    logger.log(
      `AI governance workbench listening on http://${config.host}:${config.port} (database: ${config.database.kind})`,
      'Main',
    );
  } catch (error) {
    if (error instanceof PolicyValidationError || error instanceof PolicyError) {
      process.stderr.write(`Policy error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

void bootstrap();
