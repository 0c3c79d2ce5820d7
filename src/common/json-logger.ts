import { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/app.config';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Structured logs: one JSON object per line on stdout (stderr for errors), for any log shipper. */
export class JsonLogger implements LoggerService {
  constructor(private readonly level: LogLevel = 'info') {}

  private write(
    level: Exclude<LogLevel, 'silent'>,
    message: unknown,
    context?: string,
    extra?: Record<string, unknown>,
  ): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, context, ...extra };
    if (typeof message === 'object' && message !== null) Object.assign(line, message);
    else line.msg = String(message);
    (level === 'error' ? process.stderr : process.stdout).write(JSON.stringify(line) + '\n');
  }

  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.write('error', message, context, trace ? { trace } : undefined);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
}
