import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DomainError, storageError } from '../common/domain-errors';
import { ownPrivateDir, PRIVATE_DIR_MODE, READ_ONLY_FILE_MODE } from '../common/private-files';
import { EvidenceStorage, StagedFile } from './evidence-storage';

const HEAD_BYTES = 4096;
const SHA256 = /^[0-9a-f]{64}$/;

/** data/evidence/ab/cd/<sha256>: written to tmp/, fsynced, renamed into place, then the row is committed. */
@Injectable()
export class LocalDiskEvidenceStorage implements EvidenceStorage {
  private readonly logger = new Logger('EvidenceStorage');
  private readonly root: string;
  private readonly tempDir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = config.evidenceDir;
    this.tempDir = path.join(this.root, 'tmp');
    ownPrivateDir(this.root);
    ownPrivateDir(this.tempDir);
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async stage(stream: Readable, maxBytes: number): Promise<StagedFile> {
    const tempPath = path.join(this.tempDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const chunks: Buffer[] = [];
    let headLength = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new DomainError('too_large', `The file is larger than the limit of ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          chunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        callback(null, chunk);
      },
    });
    try {
      // flush: the file descriptor is fsynced before it closes, so the bytes are on disk before the rename.
      await pipeline(stream, meter, fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600, flush: true }));
    } catch (error) {
      await fs.promises.rm(tempPath, { force: true });
      stream.resume();
      throw this.failure(error);
    }
    return { tempPath, sha256: hash.digest('hex'), sizeBytes: size, head: Buffer.concat(chunks) };
  }

  async commit(staged: StagedFile): Promise<void> {
    const target = this.pathOf(staged.sha256);
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
      if (await this.exists(staged.sha256)) {
        await fs.promises.rm(staged.tempPath, { force: true });
        return;
      }
      await fs.promises.rename(staged.tempPath, target);
      await fs.promises.chmod(target, READ_ONLY_FILE_MODE);
      // The rename is durable only once the directory entry is on disk.
      const dir = await fs.promises.open(path.dirname(target), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (error) {
      throw this.failure(error);
    }
  }

  async discard(staged: StagedFile): Promise<void> {
    await fs.promises.rm(staged.tempPath, { force: true });
  }

  async verify(sha256: string): Promise<boolean> {
    if (!(await this.exists(sha256))) return false;
    const hash = createHash('sha256');
    await pipeline(fs.createReadStream(this.pathOf(sha256)), hash);
    return hash.digest('hex') === sha256;
  }

  open(sha256: string): Readable {
    return fs.createReadStream(this.pathOf(sha256));
  }

  async exists(sha256: string): Promise<boolean> {
    return fs.promises
      .access(this.pathOf(sha256))
      .then(() => true)
      .catch(() => false);
  }

  async list(): Promise<string[]> {
    const found: string[] = [];
    for (const a of await readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdir(path.join(this.root, a))) {
        for (const file of await readdir(path.join(this.root, a, b))) if (SHA256.test(file)) found.push(file);
      }
    }
    return found;
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  async sweepTemp(olderThanMs: number): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const file of await readdir(this.tempDir)) {
      const full = path.join(this.tempDir, file);
      const stat = await fs.promises.stat(full).catch(() => null);
      if (stat && stat.mtimeMs <= cutoff) {
        await fs.promises.rm(full, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Disk full becomes a 507 for the client; the operator gets the system's own words in the log. */
  private failure(error: unknown): unknown {
    const mapped = storageError(error);
    if (mapped !== error) this.logger.error(`evidence storage is full: ${(error as Error).message}`);
    return mapped;
  }
}

async function readdir(dir: string): Promise<string[]> {
  return fs.promises.readdir(dir).catch(() => []);
}
