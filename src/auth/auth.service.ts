import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { Actor } from '../common/auth.decorators';
import { sha256Hex } from '../common/canonical-json';
import { invalid, unauthenticated } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { AuditLogService } from '../audit-log/audit-log.service';
import { TransactionRunner } from '../database/transaction-runner';
import { toUserView, UserView } from '../users/dto/user.dto';
import { UserEntity } from '../users/entities/user.entity';
import { UsersQueries } from '../users/users.queries';
import { UsersService } from '../users/users.service';
import { SessionEntity } from './entities/session.entity';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from '../users/password-hasher';
import { assertStrongPassword } from '../users/password-policy';
import { SessionsRepository } from './sessions.repository';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: UserView;
}

// Compared against when the e-mail is unknown, so a miss costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password-just-for-timing');

@Injectable()
export class AuthService {
  private readonly throttle: LoginThrottle;
  /** The user row each resolved session actor was read with, so GET /auth/me needs no second query. */
  private readonly signedIn = new WeakMap<Actor, UserView>();

  constructor(
    private readonly users: UsersQueries,
    private readonly sessions: SessionsRepository,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly usersService: UsersService,
  ) {
    this.throttle = new LoginThrottle(config.loginMaxFailures, () => clock.now().getTime());
    // Disabling, a role change or a password set by an administrator ends every session the user has.
    usersService.onAccessChange((tx, userId, at) => this.sessions.revokeAllForUser(tx, userId, at));
  }

  async login(email: string, password: string, clientAddress: string): Promise<LoginResult> {
    const normalised = email.toLowerCase();
    // Counted before the first await: concurrent guesses cannot all slip past the limit while scrypt runs.
    const attempt = this.throttle.begin([`email:${normalised}`, `ip:${clientAddress}`]);
    let user: UserEntity | null;
    let ok: boolean;
    try {
      user = await this.users.findByEmail(normalised);
      ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
    } catch (error) {
      this.throttle.forget(attempt);
      throw error;
    }
    if (!user || !ok || user.disabled) throw unauthenticated('E-mail or password is not correct');
    this.throttle.forget(attempt);
    this.throttle.clear(`email:${normalised}`);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session = Object.assign(new SessionEntity(), {
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: iso(now),
      expiresAt: iso(new Date(now.getTime() + this.config.sessionTtlHours * 3600 * 1000)),
      revokedAt: null,
    });
    await this.tx.run(async (tx) => {
      await this.sessions.insert(tx, session);
      await this.auditLog.append(tx, {
        actor: user.email,
        action: 'auth.login',
        entityType: 'session',
        entityId: session.id,
        payload: { userId: user.id },
      });
    });
    return { token, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: toUserView(user) };
  }

  /**
   * Resolves a session token (bearer or cookie) to the signed-in user; null when unknown, expired, revoked or
   * disabled. One query: the session joined with its user, so a revoke or a disable holds on the next request on
   * every instance without a cache to invalidate.
   */
  async resolve(token: string): Promise<Actor | null> {
    if (!token || token.length > 200) return null;
    const row = await this.sessions.findWithUser(sha256Hex(token));
    if (!row || row.revokedAt || row.expiresAt <= iso(this.clock.now()) || Boolean(row.disabled)) return null;
    const actor: Actor = {
      id: row.userId,
      email: row.email,
      displayName: row.displayName,
      role: row.role,
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
      mustChangePassword: Boolean(row.mustChangePassword),
    };
    this.signedIn.set(actor, {
      id: row.userId,
      email: row.email,
      displayName: row.displayName,
      role: row.role,
      disabled: false,
      mustChangePassword: actor.mustChangePassword ?? false,
      createdAt: row.userCreatedAt,
    });
    return actor;
  }

  async logout(actor: Actor): Promise<void> {
    await this.tx.run(async (tx) => {
      await this.sessions.revoke(tx, actor.sessionId, iso(this.clock.now()));
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'auth.logout',
        entityType: 'session',
        entityId: actor.sessionId,
      });
    });
  }

  async me(actor: Actor): Promise<UserView> {
    const known = this.signedIn.get(actor);
    if (known) return known;
    const user = await this.users.findById(actor.id);
    if (!user) throw unauthenticated();
    return toUserView(user);
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(actor.id);
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash)))
      throw invalid('The current password is not correct');
    if (currentPassword === newPassword) throw invalid('Choose a new password that differs from the current one');
    assertStrongPassword(newPassword, [user.email, user.displayName]);
    const passwordHash = await hashPassword(newPassword);
    const now = iso(this.clock.now());
    await this.tx.run(async (tx) => {
      await this.usersService.setOwnPassword(tx, user.id, passwordHash, now);
      // Whoever else held the old password is signed out; the session that changed it stays.
      await this.sessions.revokeOthersForUser(tx, user.id, actor.sessionId, now);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'user.password_change',
        entityType: 'user',
        entityId: user.id,
      });
    });
  }
}
