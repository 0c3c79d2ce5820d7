import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { invalid } from '../common/domain-errors';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { CreatedTokenResponseDto, CreateTokenDto, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../tokens/dto/token.dto';
import { GRANTABLE_PERMISSIONS } from '../tokens/grantable-permissions';
import { TokensService } from '../tokens/tokens.service';
import { TokenFormDto } from './dto/token-forms.dto';
import { formRefusal } from './web-errors';
import { WebLayout } from './web-layout.service';
import { WebOutcome } from './web-outcome';

/** The API tokens page: the same TokensService as /api/v1/tokens, the token shown once in the answer to the form. */
@Injectable()
export class WebTokensService {
  constructor(
    private readonly layout: WebLayout,
    private readonly tokens: TokensService,
    private readonly systems: AiSystemsService,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  async page(
    actor: Actor,
    state: { formError?: string | null; issued?: CreatedTokenResponseDto; values?: TokenFormDto } = {},
  ) {
    const [tokens, systems] = await Promise.all([
      this.tokens.list(actor),
      this.systems.list(actor, { limit: 500, offset: 0 }),
    ]);
    const names = new Map(systems.items.map((s) => [s.id, s.name]));
    const values = state.values ?? {};
    const chosen = new Set(values.permissions ?? []);
    const chosenSystems = new Set(values.systemIds ?? []);
    return this.layout.page(actor, 'API tokens', {
      tokens: tokens.map((t) => ({
        ...t,
        systemNames: t.systemIds ? t.systemIds.map((id) => names.get(id) ?? id) : null,
        active: t.status === 'active',
      })),
      // Only what this user could put in a token: grantable, and held by their role.
      permissionChoices: GRANTABLE_PERMISSIONS.filter((p) => this.permissions.allows(actor.role, p)).map((p) => ({
        value: p,
        id: `perm-${p.replace(/[^a-z0-9]/gi, '-')}`,
        checked: chosen.has(p),
      })),
      systemChoices: systems.items.map((s) => ({ value: s.id, label: s.name, checked: chosenSystems.has(s.id) })),
      values: { name: values.name ?? '', expiresInDays: values.expiresInDays ?? String(DEFAULT_TOKEN_DAYS) },
      maxDays: MAX_TOKEN_DAYS,
      formError: state.formError ?? null,
      issued: state.issued ?? null,
    });
  }

  async create(actor: Actor, form: TokenFormDto): Promise<WebOutcome> {
    try {
      const days = form.expiresInDays?.trim() ? Number(form.expiresInDays.trim()) : undefined;
      const dto = plainToInstance(CreateTokenDto, {
        name: form.name?.trim() ?? '',
        permissions: form.permissions ?? [],
        systemIds: form.systemIds?.length ? form.systemIds : undefined,
        expiresInDays: days,
      });
      const [first] = await validate(dto, { forbidUnknownValues: true });
      if (first) throw invalid(describe(first.property));
      const issued = await this.tokens.create(actor, dto);
      return { view: 'tokens', status: 201, model: await this.page(actor, { issued }) };
    } catch (error) {
      const refusal = formRefusal(error);
      return {
        view: 'tokens',
        status: refusal.status,
        model: await this.page(actor, { formError: refusal.message, values: form }),
      };
    }
  }

  async revoke(actor: Actor, id: string): Promise<WebOutcome> {
    await this.tokens.revoke(actor, id);
    return { redirect: '/tokens', flash: { kind: 'ok', text: 'Revoked: the token no longer signs in.' } };
  }
}

function describe(field: string): string {
  switch (field) {
    case 'name':
      return 'Give the token a name (one line, at most 120 characters) that says what uses it.';
    case 'permissions':
      return 'Tick at least one permission.';
    case 'expiresInDays':
      return `Expiry: a whole number of days from 1 to ${MAX_TOKEN_DAYS} (one year).`;
    default:
      return 'Choose systems from the list.';
  }
}
