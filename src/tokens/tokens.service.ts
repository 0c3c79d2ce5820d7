import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AccessScope } from '../access-scope/access-scope.service';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor, Permission } from '../common/auth.decorators';
import { sha256Hex } from '../common/canonical-json';
import { forbidden, invalid, notFound } from '../common/domain-errors';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { CreatedTokenResponseDto, CreateTokenDto, DEFAULT_TOKEN_DAYS, TokenResponseDto } from './dto/token.dto';
import { ApiTokenEntity } from './entities/api-token.entity';
import { NEVER_GRANTABLE, SYSTEM_SCOPED_PERMISSIONS } from './grantable-permissions';
import { TokensRepository } from './tokens.repository';

export const TOKEN_PREFIX = 'wbt_';
/** wbt_ and the base64url of 32 random bytes (43 characters, no padding). */
const TOKEN_FORMAT = /^wbt_[A-Za-z0-9_-]{43}$/;
const DAY_MS = 24 * 3600 * 1000;
/** A use is recorded at most this often per token (see recordUse). */
export const LAST_USED_INTERVAL_MS = 60 * 1000;

export function isApiToken(bearer: string): boolean {
  return bearer.startsWith(TOKEN_PREFIX);
}

/**
 * API tokens: created by a holder of tokens:manage as a subset of their own permissions, shown once, stored as a
 * SHA-256 hash, expiring, revocable at once (every request reads the row, so a revoke holds on every instance).
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger('Tokens');

  constructor(
    private readonly tokens: TokensRepository,
    private readonly scope: AccessScope,
    private readonly permissions: RolePermissionsProvider,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateTokenDto): Promise<CreatedTokenResponseDto> {
    const permissions = [...new Set(dto.permissions)].sort();
    for (const permission of permissions) this.assertGrantable(actor, permission);
    const beyond = dto.systemIds ? permissions.filter((p) => !SYSTEM_SCOPED_PERMISSIONS.has(p)) : [];
    if (beyond.length)
      throw forbidden(
        `A token limited to some systems cannot hold ${beyond.join(', ')}: they reach records of other systems. ` +
          `Limited tokens may hold ${[...SYSTEM_SCOPED_PERMISSIONS].join(', ')}`,
      );
    const systemIds = dto.systemIds ? await this.assertSystemsVisible(actor, dto.systemIds) : null;
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const token = Object.assign(new ApiTokenEntity(), {
      id: randomUUID(),
      tokenHash: sha256Hex(secret),
      name: dto.name.trim(),
      userId: actor.id,
      permissions: JSON.stringify(permissions),
      systemIds: systemIds ? JSON.stringify(systemIds) : null,
      createdAt: iso(now),
      expiresAt: iso(new Date(now.getTime() + (dto.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS)),
      revokedAt: null,
      lastUsedAt: null,
      lastUsedFrom: null,
    });
    await this.tx.run(async (tx) => {
      await this.tokens.insert(tx, token);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'token.create',
        entityType: 'api_token',
        entityId: token.id,
        payload: { name: token.name, userId: actor.id, permissions, systemIds, expiresAt: token.expiresAt },
      });
    });
    return { ...this.view(token), token: secret };
  }

  /** Every token for a holder of users:write (an administrator), else the caller's own. */
  async list(actor: Actor): Promise<TokenResponseDto[]> {
    const rows = await this.tokens.find(this.seesAll(actor) ? undefined : actor.id);
    return rows.map((row) => this.view(row));
  }

  /** Revokes at once; revoking a revoked token changes nothing. Someone else's token is 404 unless one sees all. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const token = await this.tokens.findById(id);
    if (!token || (token.userId !== actor.id && !this.seesAll(actor))) throw notFound('API token', id);
    await this.tx.run(async (tx) => {
      if (!(await this.tokens.revoke(tx, id, iso(this.clock.now())))) return;
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: id,
        payload: { name: token.name, userId: token.userId },
      });
    });
  }

  /**
   * The actor an API token signs in as, or null for a malformed, unknown, expired or revoked token or a disabled
   * creator (the caller answers all of them alike). One query reads the token with its creator; a use is recorded
   * at most once a minute per token and is not audited: it is telemetry, not a change of any record, and an entry
   * per request would grow the log with every read. What a token changes is audited, naming the token.
   */
  async authenticate(bearer: string, clientAddress: string): Promise<Actor | null> {
    if (!TOKEN_FORMAT.test(bearer)) return null;
    const row = await this.tokens.findWithCreator(sha256Hex(bearer));
    const now = this.clock.now();
    const at = iso(now);
    if (!row || row.revokedAt || row.expiresAt <= at || Boolean(row.disabled)) return null;
    const notBefore = iso(new Date(now.getTime() - LAST_USED_INTERVAL_MS));
    if (!row.lastUsedAt || row.lastUsedAt < notBefore) {
      const from = clientAddress.slice(0, 64);
      // A failed note of use must not fail the request it accompanies.
      await this.tx
        .run((tx) => this.tokens.recordUse(tx, row.id, at, from, notBefore))
        .catch((error: unknown) => this.logger.warn(`could not record the use of token ${row.id}: ${String(error)}`));
    }
    return {
      id: row.userId,
      email: row.email,
      displayName: row.displayName,
      role: row.role,
      sessionId: '',
      csrfToken: '',
      token: {
        id: row.id,
        name: row.name,
        permissions: JSON.parse(row.permissions) as Permission[],
        systemIds: row.systemIds ? (JSON.parse(row.systemIds) as string[]) : null,
      },
    };
  }

  private seesAll(actor: Actor): boolean {
    return this.permissions.can(actor, 'users:write');
  }

  private assertGrantable(actor: Actor, permission: Permission): void {
    if (NEVER_GRANTABLE.has(permission))
      throw forbidden(`A token cannot hold ${permission} (never account:self, users:*, tokens:* or -all breadths)`);
    if (!this.permissions.allows(actor.role, permission))
      throw forbidden(`Your role (${actor.role}) does not have the ${permission} permission, so no token of yours can`);
  }

  /** Every id must name a system the creator sees; one that does not exist answers the same as one out of scope. */
  private async assertSystemsVisible(actor: Actor, ids: string[]): Promise<string[]> {
    const [visible, existing] = await Promise.all([
      this.scope.visibleSystemIds(actor),
      this.tokens.existingSystemIds(ids),
    ]);
    for (const id of ids) {
      if (!existing.includes(id) || (visible && !visible.includes(id)))
        throw invalid(`systemIds: AI system ${id} was not found`);
    }
    return [...ids].sort();
  }

  private view(token: ApiTokenEntity): TokenResponseDto {
    const now = iso(this.clock.now());
    return {
      id: token.id,
      name: token.name,
      permissions: JSON.parse(token.permissions) as Permission[],
      systemIds: token.systemIds ? (JSON.parse(token.systemIds) as string[]) : null,
      userId: token.userId,
      status: token.revokedAt ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active',
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      revokedAt: token.revokedAt,
      lastUsedAt: token.lastUsedAt,
      lastUsedFrom: token.lastUsedFrom,
    };
  }
}
