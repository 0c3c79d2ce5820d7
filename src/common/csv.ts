import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiProduces, ApiQuery } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { invalid } from './domain-errors';
import { CLOCK, Clock } from './time';

/** The answers a list route that people take to a spreadsheet gives: JSON (default) or CSV. */
export const RESPONSE_FORMATS = ['json', 'csv'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export type CsvCell = string | number | boolean | null | undefined | readonly string[];

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is prefixed with an
 * apostrophe, the OWASP advice against CSV injection: an evidence title such as `=HYPERLINK(...)` stays text.
 * Numbers and booleans are written as they are; lists are joined with "; ".
 */
function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  const text = typeof cell === 'string' ? cell : cell.join('; ');
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180: a header line, CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => quoted(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quoted(cellText(c.value(row)))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** For a route's query DTO: lets `format` through the whitelist and checks its value. */
export const FormatQuery = () => applyDecorators(IsOptional(), IsIn(RESPONSE_FORMATS));

export interface CsvExportSpec<Body, Row> {
  /** The download's name without the extension, from the request (e.g. the system id) and today's date. */
  fileName: (request: Request) => string;
  rows: (body: Body) => readonly Row[];
  columns: readonly CsvColumn<Row>[];
}

const CSV_EXPORT = 'workbench:csv-export';

@Injectable()
export class CsvExportInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<CsvExportSpec<unknown, unknown> | undefined>(CSV_EXPORT, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const format = request.query.format;
    if (format !== undefined && !RESPONSE_FORMATS.includes(format as ResponseFormat)) {
      throw invalid(`format must be one of ${RESPONSE_FORMATS.join(', ')}`, { field: 'format' });
    }
    if (!spec || format !== 'csv') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const name = `${spec.fileName(request)}-${this.clock.now().toISOString().slice(0, 10)}.csv`.replace(
          /[^A-Za-z0-9._-]/g,
          '-',
        );
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        return toCsv(spec.columns, spec.rows(body));
      }),
    );
  }
}

/**
 * `?format=csv` on a list route: the same records as the JSON answer (same scope, filter and page), one row per
 * record, as a download. DESIGN.md: lists a user would take to a spreadsheet also answer ?format=csv.
 */
export function CsvExport<Body, Row>(spec: CsvExportSpec<Body, Row>) {
  return applyDecorators(
    SetMetadata(CSV_EXPORT, spec),
    UseInterceptors(CsvExportInterceptor),
    ApiProduces('application/json', 'text/csv'),
    ApiQuery({ name: 'format', required: false, enum: RESPONSE_FORMATS, description: 'csv: the list as a download' }),
  );
}
