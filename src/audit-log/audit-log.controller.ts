import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AuditLogService } from './audit-log.service';
import { AuditLogQueryDto, CheckpointDto } from './dto/audit-log.dto';

@ApiTags('audit-log')
@Controller('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @Authenticated({ permission: 'audit-log:read' })
  list(@CurrentActor() actor: Actor, @Query() query: AuditLogQueryDto) {
    return this.auditLog.list(actor, query, query.limit ?? 100);
  }

  @Get('verify')
  @Authenticated({ permission: 'audit-log:read' })
  verify() {
    return this.auditLog.verify();
  }

  @Get('checkpoint')
  @Authenticated({ permission: 'audit-log:read' })
  checkpoint() {
    return this.auditLog.checkpoint();
  }

  @Post('checkpoint/verify')
  @HttpCode(200)
  @Authenticated({ permission: 'audit-log:read' })
  verifyCheckpoint(@Body() checkpoint: CheckpointDto) {
    return this.auditLog.verifyCheckpoint({ ...checkpoint, algorithm: 'HMAC-SHA256' });
  }
}
