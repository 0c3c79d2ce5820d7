import { ApiProperty } from '@nestjs/swagger';

export class SigningKeyDto {
  @ApiProperty({ description: 'SHA-256 (hex) of the DER SubjectPublicKeyInfo', example: 'a3f1…' })
  fingerprint: string;
  @ApiProperty({ description: 'The Ed25519 public key, PEM (SubjectPublicKeyInfo)' })
  publicKeyPem: string;
  @ApiProperty({ description: 'When this key started signing' })
  validFrom: string;
  @ApiProperty({ type: String, nullable: true, description: 'When a newer key replaced it; null for the current key' })
  validTo: string | null;
}

export class SigningKeysDto {
  @ApiProperty({ example: 'Ed25519' })
  algorithm: 'Ed25519';
  @ApiProperty({ description: 'Fingerprint of the key that signs now' })
  fingerprint: string;
  @ApiProperty({ description: 'The current public key, PEM' })
  publicKeyPem: string;
  @ApiProperty({ type: SigningKeyDto, description: 'The key that signs now' })
  current: SigningKeyDto;
  @ApiProperty({ type: [SigningKeyDto], description: 'Every key that has signed, the current one first' })
  keys: SigningKeyDto[];
}
