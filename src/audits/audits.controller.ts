import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AuditsService } from './audits.service';
import { CreateAuditDto, UpdateAuditDto } from './dto/audit.dto';

@ApiTags('audits')
@Controller('api/v1/audits')
export class AuditsController {
  constructor(private readonly audits: AuditsService) {}

  @Get()
  @Authenticated({ permission: 'audits:read' })
  list(@CurrentActor() actor: Actor) {
    return this.audits.list(actor);
  }

  @Post()
  @Authenticated({ permission: 'audits:write' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAuditDto) {
    return this.audits.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'audits:read' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.audits.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'audits:write' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAuditDto) {
    return this.audits.update(actor, id, dto);
  }
}
