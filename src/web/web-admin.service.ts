import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { Actor } from '../common/auth.decorators';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Role, ROLES } from '../users/entities/user.entity';
import { oneTimePassword, UsersService } from '../users/users.service';
import { PasswordFormDto, UserChangeFormDto, UserFormDto } from './dto/admin-forms.dto';
import { formRefusal } from './web-errors';
import { WebLayout } from './web-layout.service';
import { WebOutcome } from './web-outcome';

const roleName = (role: string) => role.replace(/_/g, ' ');

/** A one-time password the page shows once, with whom it is for. */
interface Issued {
  email: string;
  password: string;
  reason: 'created' | 'reset';
}

/**
 * The account and user administration pages, over the same UsersService and AuthService as the API: an
 * administrator creates users with a one-time password, changes roles, disables and re-enables accounts and resets
 * passwords; everyone changes their own password (at first sign-in, the one-time password).
 */
@Injectable()
export class WebAdminService {
  constructor(
    private readonly layout: WebLayout,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  passwordPage(actor: Actor, formError: string | null = null) {
    return this.layout.page(actor, 'Change your password', {
      oneTime: actor.mustChangePassword === true,
      formError,
    });
  }

  async changePassword(actor: Actor, form: PasswordFormDto): Promise<WebOutcome> {
    const again = (status: number, message: string): WebOutcome => ({
      view: 'account-password',
      status,
      model: this.passwordPage(actor, message),
    });
    if (!form.currentPassword || !form.newPassword) return again(400, 'Enter your current password and the new one.');
    if (form.newPassword !== form.confirmPassword)
      return again(400, 'The new password and its confirmation differ; type the same password twice.');
    try {
      await this.auth.changePassword(actor, form.currentPassword, form.newPassword);
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, refusal.message);
    }
    return { redirect: '/', flash: { kind: 'ok', text: 'Your password is changed. Other sign-ins were ended.' } };
  }

  async usersPage(actor: Actor, state: { formError?: string | null; issued?: Issued; values?: UserFormDto } = {}) {
    const users = await this.users.list();
    const values = state.values ?? {};
    return this.layout.page(actor, 'Users', {
      canWrite: this.permissions.can(actor, 'users:write'),
      users: users.map((u) => ({
        ...u,
        roleName: roleName(u.role),
        self: u.id === actor.id,
        roles: ROLES.map((r) => ({ value: r, label: roleName(r), selected: r === u.role })),
      })),
      roles: ROLES.map((r) => ({ value: r, label: roleName(r), selected: r === (values.role ?? 'engineer') })),
      values,
      formError: state.formError ?? null,
      issued: state.issued ?? null,
    });
  }

  async createUser(actor: Actor, form: UserFormDto): Promise<WebOutcome> {
    const again = async (status: number, message: string): Promise<WebOutcome> => ({
      view: 'admin-users',
      status,
      model: await this.usersPage(actor, { formError: message, values: form }),
    });
    const email = form.email?.trim() ?? '';
    const displayName = form.displayName?.trim() ?? '';
    if (!email || !displayName) return again(400, 'Give the new user an e-mail address and a name.');
    if (!ROLES.includes(form.role as Role)) return again(400, 'Choose a role for the new user.');
    const password = oneTimePassword();
    try {
      const user = await this.users.create(actor, { email, displayName, role: form.role as Role, password }, true);
      // Shown on this page once (not carried through a redirect): the administrator hands it over out of band.
      return {
        view: 'admin-users',
        status: 201,
        model: await this.usersPage(actor, { issued: { email: user.email, password, reason: 'created' } }),
      };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, refusal.message);
    }
  }

  async changeUser(actor: Actor, id: string, form: UserChangeFormDto): Promise<WebOutcome> {
    const target = (await this.users.list()).find((u) => u.id === id);
    const who = target?.email ?? 'the user';
    try {
      switch (form.action) {
        case 'disable':
        case 'enable':
          await this.users.update(actor, id, { disabled: form.action === 'disable' });
          return {
            redirect: '/admin/users',
            flash: {
              kind: 'ok',
              text: form.action === 'disable' ? `Disabled ${who}; their sign-ins are ended.` : `Re-enabled ${who}.`,
            },
          };
        case 'reset-password': {
          const password = oneTimePassword();
          const user = await this.users.update(actor, id, { password }, true);
          return {
            view: 'admin-users',
            status: 200,
            model: await this.usersPage(actor, { issued: { email: user.email, password, reason: 'reset' } }),
          };
        }
        default: {
          if (!ROLES.includes(form.role as Role))
            return { redirect: '/admin/users', flash: { kind: 'error', text: 'Choose one of the roles.' } };
          await this.users.update(actor, id, { role: form.role as Role });
          return {
            redirect: '/admin/users',
            flash: { kind: 'ok', text: `Saved: ${who} is now ${roleName(form.role!)}.` },
          };
        }
      }
    } catch (error) {
      const refusal = formRefusal(error);
      return { redirect: '/admin/users', flash: { kind: 'error', text: refusal.message } };
    }
  }
}
