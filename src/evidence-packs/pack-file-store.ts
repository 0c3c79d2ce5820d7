import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app.config';

/** Rendered pack PDFs on local disk, data/packs/<id>.pdf, written durably before the row says ready. */
@Injectable()
export class PackFileStore {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.join(config.dataDir, 'packs');
  }

  pathOf(packId: string): string {
    return path.join(this.root, `${packId}.pdf`);
  }

  /** data/packs/<id>/<name>: documents rendered with the pack (OSCAL assessment results) for its bundle. */
  documentPathOf(packId: string, name: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`unsafe pack document name: ${name}`);
    return path.join(this.root, packId, name);
  }

  write(packId: string, pdf: Buffer): Promise<void> {
    return writeDurably(this.pathOf(packId), pdf);
  }

  writeDocument(packId: string, name: string, content: Buffer): Promise<void> {
    return writeDurably(this.documentPathOf(packId, name), content);
  }

  openDocument(packId: string, name: string): fs.ReadStream {
    return fs.createReadStream(this.documentPathOf(packId, name));
  }

  open(packId: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(packId));
  }

  exists(packId: string): boolean {
    return fs.existsSync(this.pathOf(packId));
  }
}

/** Temp file, fsync, rename, then fsync the directory: a crash leaves either no file or the whole file. */
async function writeDurably(target: string, content: Buffer): Promise<void> {
  const dirPath = path.dirname(target);
  await fs.promises.mkdir(dirPath, { recursive: true });
  const temp = path.join(dirPath, `.${path.basename(target)}.${randomUUID()}.part`);
  const handle = await fs.promises.open(temp, 'wx', 0o640);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, target);
  const dir = await fs.promises.open(dirPath, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
