import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { storageError } from '../common/domain-errors';
import { ownPrivateDir, PRIVATE_DIR_MODE, READ_ONLY_FILE_MODE } from '../common/private-files';
import { APP_CONFIG, AppConfig } from '../config/app.config';

/**
 * A file written and synced under a temporary name (`.<name>.<uuid>.part`, which the start-up sweep removes), not yet
 * in place: commit() renames it to its name and syncs the directory, discard() removes it. Exactly one of them is
 * called; both are safe to call after the other failed.
 */
export interface StagedFile {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** What a stored file looks like against the hash recorded for it. */
export type StoredFileState = 'ok' | 'missing' | 'altered';

const PARTIAL = /^\..+\.part$/;
// With several instances on PostgreSQL another one may be writing a pack right now; a render takes minutes at most.
const SHARED_PARTIAL_GRACE_MS = 60 * 60 * 1000;

/**
 * Rendered pack PDFs on local disk, data/packs/<id>.pdf, and the documents rendered with them, data/packs/<id>/<name>;
 * written durably and read-only (0400) before the row says ready.
 */
@Injectable()
export class PackFileStore implements OnModuleInit {
  private readonly logger = new Logger('PackFileStore');
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.root = path.join(config.dataDir, 'packs');
  }

  /** Before any pack job can start: partial files left by a crash or a failed write are removed. */
  async onModuleInit(): Promise<void> {
    ownPrivateDir(this.root);
    const removed = await this.sweepPartial(this.config.database.kind === 'sqlite' ? 0 : SHARED_PARTIAL_GRACE_MS);
    if (removed > 0) this.logger.warn(`swept ${removed} partial pack file(s)`);
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
    return this.writeDurably(this.pathOf(packId), pdf);
  }

  writeDocument(packId: string, name: string, content: Buffer): Promise<void> {
    return this.writeDurably(this.documentPathOf(packId, name), content);
  }

  /** write() in two steps: the bytes synced now, the file put in place later (or not at all). */
  stage(packId: string, pdf: Buffer): Promise<StagedFile> {
    return this.stageDurably(this.pathOf(packId), pdf);
  }

  /** writeDocument() in two steps, as stage(). */
  stageDocument(packId: string, name: string, content: Buffer): Promise<StagedFile> {
    return this.stageDurably(this.documentPathOf(packId, name), content);
  }

  /** The stream errors (never throws) when the file cannot be read; consumers must handle 'error'. */
  openDocument(packId: string, name: string): fs.ReadStream {
    return fs.createReadStream(this.documentPathOf(packId, name));
  }

  open(packId: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(packId));
  }

  check(packId: string, sha256: string): Promise<StoredFileState> {
    return stateOf(this.pathOf(packId), sha256);
  }

  checkDocument(packId: string, name: string, sha256: string): Promise<StoredFileState> {
    return stateOf(this.documentPathOf(packId, name), sha256);
  }

  /** Removes `.<name>.part` files older than the given age, in packs/ and each pack's document folder. */
  async sweepPartial(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const sweep = async (dir: string, depth: number): Promise<void> => {
      for (const entry of await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && depth === 0) await sweep(full, 1);
        if (!entry.isFile() || !PARTIAL.test(entry.name)) continue;
        const stat = await fs.promises.stat(full).catch(() => null);
        if (stat && stat.mtimeMs <= cutoff) {
          await fs.promises.rm(full, { force: true });
          removed++;
        }
      }
    };
    await sweep(this.root, 0);
    return removed;
  }

  /**
   * Temp file, fsync, rename, then fsync the directory: a crash leaves either no file or the whole file (and at most
   * a partial file for the start-up sweep). A failed write removes its partial file; a full disk is a 507.
   */
  private async writeDurably(target: string, content: Buffer): Promise<void> {
    await (await this.stageDurably(target, content)).commit();
  }

  /** The first half of writeDurably: the temp file written and synced (removed again when that fails). */
  private async stageDurably(target: string, content: Buffer): Promise<StagedFile> {
    const dirPath = path.dirname(target);
    const temp = path.join(dirPath, `.${path.basename(target)}.${randomUUID()}.part`);
    const fail = async (error: unknown): Promise<never> => {
      await fs.promises.rm(temp, { force: true });
      const mapped = storageError(error);
      if (mapped !== error) this.logger.error(`pack file store is full: ${(error as Error).message}`);
      throw mapped;
    };
    try {
      await fs.promises.mkdir(dirPath, { recursive: true, mode: PRIVATE_DIR_MODE });
      // Read-only from the start: the descriptor opened here may still write, nothing opened later can.
      const handle = await fs.promises.open(temp, 'wx', READ_ONLY_FILE_MODE);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      return fail(error);
    }
    return {
      commit: async () => {
        try {
          await fs.promises.rename(temp, target);
          const dir = await fs.promises.open(dirPath, 'r');
          try {
            await dir.sync();
          } finally {
            await dir.close();
          }
        } catch (error) {
          await fail(error);
        }
      },
      discard: () => fs.promises.rm(temp, { force: true }),
    };
  }
}

async function stateOf(file: string, sha256: string): Promise<StoredFileState> {
  const hash = createHash('sha256');
  try {
    await pipeline(fs.createReadStream(file), hash);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  return hash.digest('hex') === sha256 ? 'ok' : 'altered';
}
