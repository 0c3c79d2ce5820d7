import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditLogService } from '../audit-log/audit-log.service';
import { conflict } from '../common/domain-errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { SigningKeyEntity } from './entities/signing-key.entity';
import { generateKeyPem, keyPairFromPem, SIGNING_KEY_FILE, signBytes, SigningKeyPair } from './signing-keys';
import { SigningKeysRepository } from './signing-keys.repository';
import { isUniqueViolation } from '../database/unique-violation';

export interface SigningKeyView {
  fingerprint: string;
  publicKeyPem: string;
  validFrom: string;
  validTo: string | null;
}

export interface SigningKeysView {
  algorithm: 'Ed25519';
  fingerprint: string;
  publicKeyPem: string;
  current: SigningKeyView;
  keys: SigningKeyView[];
}

export interface Signed {
  signature: Buffer;
  fingerprint: string;
  publicKeyPem: string;
}

function toView(key: SigningKeyEntity): SigningKeyView {
  return {
    fingerprint: key.fingerprint,
    publicKeyPem: key.publicKeyPem,
    validFrom: key.validFrom,
    validTo: key.validTo,
  };
}

/**
 * The installation's Ed25519 signing key (bundles' manifests, audit-log checkpoints). It is WORKBENCH_SIGNING_KEY or
 * a key generated at first start into the data directory (0600); every instance must use the same one. The public
 * halves are kept in signing_keys with their validity, so a rotation leaves old signatures checkable.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private pair?: SigningKeyPair;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly keys: SigningKeysRepository,
    private readonly auditLog: AuditLogService,
  ) {}

  /** At start: a key file that is not an Ed25519 key stops the app with a message naming the file. */
  onModuleInit(): void {
    this.load();
  }

  /** The fingerprint of the key that signs now (the pack cover prints it). */
  async currentFingerprint(): Promise<string> {
    return (await this.active()).fingerprint;
  }

  async sign(data: Buffer): Promise<Signed> {
    const pair = await this.active();
    return {
      signature: signBytes(pair.privateKey, data),
      fingerprint: pair.fingerprint,
      publicKeyPem: pair.publicKeyPem,
    };
  }

  /** The current key as a synchronous signer, for documents assembled in one go (a bundle's manifest). */
  async signer(): Promise<{ fingerprint: string; publicKeyPem: string; sign: (data: Buffer) => Buffer }> {
    const pair = await this.active();
    return {
      fingerprint: pair.fingerprint,
      publicKeyPem: pair.publicKeyPem,
      sign: (data) => signBytes(pair.privateKey, data),
    };
  }

  /** GET /api/v1/signing-key: the key that signs now, then every key that has signed, newest first. */
  async publicKeys(): Promise<SigningKeysView> {
    const pair = await this.active();
    const keys = (await this.keys.findAll()).map(toView);
    const current = keys.find((key) => key.fingerprint === pair.fingerprint)!;
    return {
      algorithm: 'Ed25519',
      fingerprint: current.fingerprint,
      publicKeyPem: current.publicKeyPem,
      current,
      keys: [current, ...keys.filter((key) => key !== current)],
    };
  }

  async publicKey(fingerprint: string): Promise<SigningKeyView | null> {
    const key = await this.keys.findByFingerprint(fingerprint);
    return key ? toView(key) : null;
  }

  /**
   * A new key in the data directory signs from now on; the old public key stays listed with its validTo. The old
   * private key is not kept: nothing can sign as it any more. Instances sharing the data directory pick the new
   * file up at their next signature (the registry names it current).
   */
  async rotate(actor: string): Promise<SigningKeyView> {
    if (this.config.signingKeyPem)
      throw conflict(
        'The signing key comes from WORKBENCH_SIGNING_KEY: put a new Ed25519 key there and restart every instance; the old public key stays listed',
      );
    const file = this.keyFile();
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const pem = generateKeyPem();
    const next = keyPairFromPem(pem, 'the generated key');
    fs.writeFileSync(temporary, pem, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    fs.renameSync(temporary, file);
    this.pair = next;
    await this.register(next, actor, 'signing-key.rotate');
    return toView((await this.keys.findByFingerprint(next.fingerprint))!);
  }

  /** The loaded key, registered as the current one (which a first start, a new env key or a rotation changes). */
  private async active(): Promise<SigningKeyPair> {
    let pair = this.load();
    const current = await this.keys.findCurrent();
    if (current?.fingerprint === pair.fingerprint) return pair;
    if (current && !this.config.signingKeyPem) {
      // Another instance (or the rotate script) may have replaced the shared key file.
      this.pair = undefined;
      pair = this.load();
      if (current.fingerprint === pair.fingerprint) return pair;
    }
    try {
      await this.register(pair, 'system', 'signing-key.activate');
    } catch (error) {
      // The first registration locks no row (there is none yet): a concurrent one (another request of this instance
      // on PostgreSQL, another instance) may insert the same key first. Its row is the one we wanted.
      if (!isUniqueViolation(error) || (await this.keys.findCurrent())?.fingerprint !== pair.fingerprint) throw error;
    }
    return pair;
  }

  private async register(pair: SigningKeyPair, actor: string, action: string): Promise<void> {
    await this.tx.run(async (tx) => {
      const open = await this.keys.findCurrentForUpdate(tx);
      if (open.length === 1 && open[0].fingerprint === pair.fingerprint) return;
      const now = iso(this.clock.now());
      for (const key of open) if (key.fingerprint !== pair.fingerprint) await this.keys.close(tx, key.fingerprint, now);
      const known = await this.keys.findByFingerprintIn(tx, pair.fingerprint);
      if (known) await this.keys.reopen(tx, pair.fingerprint);
      else
        await this.keys.insert(
          tx,
          Object.assign(new SigningKeyEntity(), {
            fingerprint: pair.fingerprint,
            publicKeyPem: pair.publicKeyPem,
            validFrom: now,
            validTo: null,
          }),
        );
      await this.auditLog.append(tx, {
        actor,
        action,
        entityType: 'signing_key',
        entityId: pair.fingerprint,
        payload: { replaced: open.map((key) => key.fingerprint), source: this.config.signingKeyPem ? 'env' : 'file' },
      });
    });
  }

  private load(): SigningKeyPair {
    if (this.pair) return this.pair;
    if (this.config.signingKeyPem) {
      this.pair = keyPairFromPem(this.config.signingKeyPem, 'WORKBENCH_SIGNING_KEY');
      return this.pair;
    }
    const file = this.keyFile();
    if (!fs.existsSync(file)) {
      makePrivateDir(this.config.dataDir);
      // Written aside, then linked into place: two instances starting together on a shared data directory keep the
      // first key linked, and neither reads a half-written file.
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(temporary, generateKeyPem(), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      try {
        fs.linkSync(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        fs.unlinkSync(temporary);
      }
    }
    this.pair = keyPairFromPem(fs.readFileSync(file, 'utf8'), file);
    return this.pair;
  }

  private keyFile(): string {
    return path.join(this.config.dataDir, SIGNING_KEY_FILE);
  }
}
