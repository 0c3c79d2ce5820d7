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

  /** Temp file, fsync, rename, then fsync the directory: a crash leaves either no file or the whole file. */
  async write(packId: string, pdf: Buffer): Promise<void> {
    await fs.promises.mkdir(this.root, { recursive: true });
    const temp = path.join(this.root, `.${packId}.${randomUUID()}.part`);
    const handle = await fs.promises.open(temp, 'wx', 0o640);
    try {
      await handle.writeFile(pdf);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, this.pathOf(packId));
    const dir = await fs.promises.open(this.root, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  open(packId: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(packId));
  }

  exists(packId: string): boolean {
    return fs.existsSync(this.pathOf(packId));
  }
}
