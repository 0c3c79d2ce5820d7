import { Injectable } from '@nestjs/common';
import { AuditCheckpointService } from '../audit-log/audit-checkpoint.service';
import { conflict } from '../common/domain-errors';
import { SigningKeyService } from '../signing/signing-key.service';
import { bundleTexts, BundleText } from './pack-bundle';
import { PackManifest } from './pack-manifest';

/** Gathers what a bundle signs: the checkpoint the pack was assembled against, its audit-log extract, the key. */
@Injectable()
export class PackBundleService {
  constructor(
    private readonly checkpoints: AuditCheckpointService,
    private readonly signing: SigningKeyService,
  ) {}

  async texts(
    pack: { id: string; auditId: string | null; systemId: string | null; asOf: string; finishedAt: string | null },
    manifest: PackManifest,
    members: { path: string; sha256: string }[],
  ): Promise<BundleText[]> {
    const signer = await this.signing.signer();
    let checkpoint = pack.finishedAt ? await this.checkpoints.latestAt(pack.finishedAt) : null;
    // A checkpoint from before a key rotation would not verify with the key the bundle carries: sign a fresh one.
    if (!checkpoint || checkpoint.keyFingerprint !== signer.fingerprint) {
      const chain = await this.checkpoints.verifyAndCheckpoint();
      if (!chain.valid)
        throw conflict(`The audit log does not verify, so the bundle cannot prove it: ${chain.problem}`);
      checkpoint = await this.checkpoints.latest();
    }
    const entries = await this.checkpoints.extract(
      { packId: pack.id, auditId: pack.auditId, systemId: pack.systemId, asOf: pack.asOf },
      checkpoint!,
    );
    return bundleTexts(
      manifest,
      members,
      { checkpoint: checkpoint!, entries, publicKeyPem: signer.publicKeyPem, keyFingerprint: signer.fingerprint },
      signer.sign,
    );
  }
}
