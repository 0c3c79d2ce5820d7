import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { dataSourceOptions, sqliteWriter } from './data-source-options';
import { DatabaseReadiness } from './database-readiness';
import { SQLITE_WRITER, TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.database),
    }),
  ],
  providers: [
    TransactionRunner,
    DatabaseReadiness,
    {
      provide: SQLITE_WRITER,
      // Beside the app's own DataSource, with its options; closed by the TransactionRunner at shutdown.
      inject: [getDataSourceToken()],
      useFactory: (reads: DataSource) => sqliteWriter(reads),
    },
  ],
  exports: [TransactionRunner, DatabaseReadiness],
})
export class DatabaseModule {}
