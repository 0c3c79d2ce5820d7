import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AuditLogService } from './audit-log.service';
import {
  AuditLogEntryResponseDto,
  ChainVerificationResponseDto,
  CheckpointVerificationResponseDto,
  SignedCheckpointResponseDto,
} from './dto/audit-log-response.dto';
import { AuditLogQueryDto, CheckpointDto } from './dto/audit-log.dto';

@ApiTags('audit-log')
@Controller('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @Authenticated({ permission: 'audit-log:read' })
  @ApiOkResponse({ type: [AuditLogEntryResponseDto] })
  list(@CurrentActor() actor: Actor, @Query() query: AuditLogQueryDto): Promise<AuditLogEntryResponseDto[]> {
    return this.auditLog.list(actor, query, query.limit ?? 100);
  }

  @Get('verify')
  @Authenticated({ permission: 'audit-log:read' })
  @ApiOkResponse({ type: ChainVerificationResponseDto })
  verify(): Promise<ChainVerificationResponseDto> {
    return this.auditLog.verify();
  }

  @Get('checkpoint')
  @Authenticated({ permission: 'audit-log:read' })
  @ApiOkResponse({ type: SignedCheckpointResponseDto })
  checkpoint(): Promise<SignedCheckpointResponseDto> {
    return this.auditLog.checkpoint();
  }

  @Post('checkpoint/verify')
  @HttpCode(200)
  @Authenticated({ permission: 'audit-log:read' })
  @ApiOkResponse({ type: CheckpointVerificationResponseDto })
  verifyCheckpoint(@Body() checkpoint: CheckpointDto): Promise<CheckpointVerificationResponseDto> {
    return this.auditLog.verifyCheckpoint({ ...checkpoint, algorithm: 'HMAC-SHA256' });
  }
}
