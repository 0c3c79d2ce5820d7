import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notFound } from '../common/domain-errors';
import { webTemplatesDir } from './web-view-engine';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The UI's stylesheet, script and icon, read once at start-up; only these named files are ever served. */
@Injectable()
export class WebAssets {
  private readonly files = new Map<string, { type: string; body: Buffer }>();

  constructor() {
    const dir = path.join(webTemplatesDir(), 'assets');
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (type) this.files.set(name, { type, body: fs.readFileSync(path.join(dir, name)) });
    }
  }

  get(name: string): { type: string; body: Buffer } {
    const file = this.files.get(name);
    if (!file) throw notFound('Asset', name);
    return file;
  }
}
