import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { Actor } from '../common/auth.decorators';
import { conflict, DomainError, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { AuditLogService } from '../audit-log/audit-log.service';
import { hashPassword } from './password-hasher';
import { assertStrongPassword } from './password-policy';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { CreateUserDto, toUserView, UpdateUserDto, UserView } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { UsersRepository } from './users.repository';
import { RolePermissionsProvider } from '../common/role-permissions.provider';

/**
 * Told inside the transaction of a change that must end a user's sign-ins (disabled, another role, a new password):
 * auth registers one that revokes the user's sessions. Users sits below auth and does not import it.
 */
export type AccessChangeListener = (tx: Tx, userId: string, at: string) => Promise<void>;

/** A one-time password (24 characters of base64url from 18 random bytes), shown once and changed at first sign-in. */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');
  private readonly accessChangeListeners: AccessChangeListener[] = [];

  constructor(
    private readonly users: UsersRepository,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly permissions: RolePermissionsProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onAccessChange(listener: AccessChangeListener): void {
    this.accessChangeListeners.push(listener);
  }

  /**
   * Stores the password the user chose for themself, in the caller's transaction: auth's password change, which
   * checks the current one, ends the user's other sessions and writes the audit entry in that transaction.
   */
  setOwnPassword(tx: Tx, userId: string, passwordHash: string, now: string): Promise<void> {
    return this.users.update(tx, userId, { passwordHash, mustChangePassword: false, updatedAt: now });
  }

  async list(): Promise<UserView[]> {
    return (await this.users.findAll()).map(toUserView);
  }

  async create(actor: Pick<Actor, 'email'>, dto: CreateUserDto, mustChangePassword = false): Promise<UserView> {
    const email = dto.email.toLowerCase();
    if (await this.users.findByEmail(email)) throw conflict(`A user with e-mail ${email} already exists`);
    assertStrongPassword(dto.password, [email, dto.displayName]);
    const now = iso(this.clock.now());
    const user = Object.assign(new UserEntity(), {
      id: randomUUID(),
      email,
      displayName: dto.displayName.trim(),
      role: dto.role,
      passwordHash: await hashPassword(dto.password),
      disabled: false,
      mustChangePassword,
      createdAt: now,
      updatedAt: now,
    });
    await this.tx.run(async (tx) => {
      await this.users.insert(tx, user);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        payload: { email, role: user.role, displayName: user.displayName },
      });
    });
    return toUserView(user);
  }

  /**
   * Changes a user. A new password given with `oneTime` (an administrator's reset) must be changed at the next
   * sign-in, like the one a new account starts with; a password the user chose does not.
   */
  async update(actor: Actor, id: string, dto: UpdateUserDto, oneTime = false): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User', id);
    assertSomethingToChange(dto, 'Nothing to change: send displayName, role, disabled or password');
    // Whoever administers users must not lock themselves out: no disabling oneself, no role without users:write.
    if (id === actor.id && (dto.disabled === true || (dto.role && !this.permissions.allows(dto.role, 'users:write')))) {
      throw conflict('You cannot disable yourself or give yourself a role that cannot administer users');
    }
    const changes: Partial<UserEntity> = { updatedAt: iso(this.clock.now()) };
    if (dto.displayName !== undefined) changes.displayName = dto.displayName.trim();
    if (dto.role !== undefined) changes.role = dto.role;
    if (dto.disabled !== undefined) changes.disabled = dto.disabled;
    if (dto.password !== undefined) {
      assertStrongPassword(dto.password, [user.email, dto.displayName ?? user.displayName]);
      changes.passwordHash = await hashPassword(dto.password);
      changes.mustChangePassword = oneTime;
    }
    await this.tx.run(async (tx) => {
      await this.users.update(tx, id, changes);
      // Disabling, a role change or a new password ends every session the user has.
      if (dto.disabled || (dto.role && dto.role !== user.role) || dto.password) {
        for (const listener of this.accessChangeListeners) await listener(tx, id, changes.updatedAt!);
      }
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        payload: { ...dto, password: dto.password ? '(changed)' : undefined },
      });
    });
    return toUserView({ ...user, ...changes });
  }

  /**
   * The first admin: from WORKBENCH_ADMIN_EMAIL/WORKBENCH_ADMIN_PASSWORD, or else with a one-time password printed
   * once to the console that must be changed at first login. Does nothing once any user exists.
   */
  async bootstrapFirstAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const system = { email: 'system' };
    if (this.config.admin.email && this.config.admin.password) {
      const created = await this.createFirstAdmin(system, this.config.admin.email, this.config.admin.password, false);
      if (created) this.logger.log(`created the first admin ${this.config.admin.email} from WORKBENCH_ADMIN_EMAIL`);
      return;
    }
    const password = oneTimePassword();
    const email = 'admin@workbench.local';
    if (!(await this.createFirstAdmin(system, email, password, true))) return;
    // Printed to stdout on purpose, once: there is no default password anywhere.
    process.stdout.write(
      `\nFirst start: created admin ${email} with one-time password ${password}\nSign in and change it now; it is not shown again.\n\n`,
    );
  }

  /** False when another instance starting at the same moment created the admin first. */
  private async createFirstAdmin(
    system: { email: string },
    email: string,
    password: string,
    oneTime: boolean,
  ): Promise<boolean> {
    try {
      await this.create(system, { email, password, displayName: 'Administrator', role: 'admin' }, oneTime);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return false;
      throw error;
    }
  }
}
