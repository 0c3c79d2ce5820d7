// The DataSource for the TypeORM CLI (npm run migration:generate|run|revert); the app builds the same options.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app.config';
import { dataSourceOptions } from './src/database/data-source-options';

export default new DataSource(dataSourceOptions(loadConfig().database));
