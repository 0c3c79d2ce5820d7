import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import {
  AssertionFormDto,
  AuditFormDto,
  PasswordFormDto,
  SignOffFormDto,
  UserChangeFormDto,
  UserFormDto,
} from './dto/admin-forms.dto';
import { WebAdminService } from './web-admin.service';
import { WebAuditsService } from './web-audits.service';
import { WebId } from './web-id';
import { sendOutcome } from './web-outcome';

/** Your own password (the one-time password at first sign-in included) and the administration of users. */
@ApiExcludeController()
@Controller()
export class WebAdminController {
  constructor(private readonly admin: WebAdminService) {}

  @Get('account/password')
  @Authenticated({ permission: 'account:self' })
  @Render('account-password')
  passwordForm(@CurrentActor() actor: Actor) {
    return this.admin.passwordPage(actor);
  }

  @Post('account/password')
  @Authenticated({ permission: 'account:self' })
  async changePassword(@CurrentActor() actor: Actor, @Body() form: PasswordFormDto, @Res() response: Response) {
    sendOutcome(response, await this.admin.changePassword(actor, form));
  }

  @Get('admin/users')
  @Authenticated({ permission: 'users:read' })
  @Render('admin-users')
  users(@CurrentActor() actor: Actor) {
    return this.admin.usersPage(actor);
  }

  @Post('admin/users')
  @Authenticated({ permission: 'users:write' })
  async createUser(@CurrentActor() actor: Actor, @Body() form: UserFormDto, @Res() response: Response) {
    sendOutcome(response, await this.admin.createUser(actor, form));
  }

  @Post('admin/users/:id')
  @Authenticated({ permission: 'users:write' })
  async changeUser(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: UserChangeFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.admin.changeUser(actor, id, form));
  }
}

/** Audits: the list with the form to open one, and an audit with its assertion, packs and evidence. */
@ApiExcludeController()
@Controller('audits')
export class WebAuditsController {
  constructor(private readonly audits: WebAuditsService) {}

  @Get()
  @Authenticated({ permission: 'audits:read' })
  @Render('audits')
  list(@CurrentActor() actor: Actor) {
    return this.audits.list(actor);
  }

  @Post()
  @Authenticated({ permission: 'audits:write' })
  async create(@CurrentActor() actor: Actor, @Body() form: AuditFormDto, @Res() response: Response) {
    sendOutcome(response, await this.audits.create(actor, form));
  }

  @Get(':id')
  @Authenticated({ permission: 'audits:read' })
  @Render('audit')
  detail(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.audits.detail(actor, id);
  }

  @Post(':id/assertion')
  @Authenticated({ permission: 'audits:write' })
  async assertion(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: AssertionFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.audits.saveAssertion(actor, id, form));
  }

  @Post(':id/assertion/sign-off')
  @Authenticated({ permission: 'audits:sign-off' })
  async signOff(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() _form: SignOffFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.audits.signOff(actor, id));
  }
}
