import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AuditsService } from './audits.service';
import { AuditListDto, AuditViewDto, CreateAuditDto, UpdateAuditDto } from './dto/audit.dto';

@ApiTags('audits')
@Controller('api/v1/audits')
export class AuditsController {
  constructor(private readonly audits: AuditsService) {}

  @Get()
  @Authenticated({ permission: 'audits:read' })
  @ApiOkResponse({ type: AuditListDto })
  list(@CurrentActor() actor: Actor): Promise<AuditListDto> {
    return this.audits.list(actor);
  }

  @Post()
  @Authenticated({ permission: 'audits:write' })
  @ApiCreatedResponse({ type: AuditViewDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAuditDto): Promise<AuditViewDto> {
    return this.audits.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'audits:read' })
  @ApiOkResponse({ type: AuditViewDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AuditViewDto> {
    return this.audits.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'audits:write' })
  @ApiOkResponse({ type: AuditViewDto, description: 'a new assertion text, type or period clears the sign-off' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAuditDto,
  ): Promise<AuditViewDto> {
    return this.audits.update(actor, id, dto);
  }

  @Post(':id/assertion/sign-off')
  @HttpCode(200)
  @Authenticated({ permission: 'audits:sign-off' })
  @ApiOkResponse({ type: AuditViewDto, description: 'the assertion signed off in the caller’s name, now' })
  signOff(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AuditViewDto> {
    return this.audits.signOffAssertion(actor, id);
  }
}
