/**
 * The baseline of bench/startup.bench.ts: a bare NestJS app that loads the same module files as the product
 * (AppModule and everything it imports are required, so the same code is read and compiled) but boots only a
 * module with one GET /health controller: no database, no policies, no workers.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';

@Controller('health')
class BareHealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareHealthController] })
class BareModule {}

async function main() {
  if (!AppModule) throw new Error('AppModule did not load');
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
