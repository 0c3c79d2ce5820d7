import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';

/** Where the signing key lives in the data directory when WORKBENCH_SIGNING_KEY is not set (and in backups). */
export const SIGNING_KEY_FILE = 'signing-key.pem';

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

/** SHA-256 of the DER SubjectPublicKeyInfo: `openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum`. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** A key pair from an Ed25519 private key in PEM; the message says where the key came from when it is not one. */
export function keyPairFromPem(pem: string, origin: string): SigningKeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${origin} is not a private key in PEM: ${(error as Error).message}`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${origin} holds a ${privateKey.asymmetricKeyType} key; the signing key must be Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: fingerprintOf(publicKey),
  };
}

export function generateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Ed25519 over the exact bytes (no pre-hash): what `openssl pkeyutl -verify -rawin` checks. */
export function signBytes(privateKey: KeyObject, data: Buffer): Buffer {
  return sign(null, data, privateKey);
}

export function signatureMatches(publicKeyPem: string, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}
