import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth.decorators';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { AuditProofQueryDto, InclusionProofDto } from './dto/audit-proof.dto';

/** Proofs carry hashes only, no payloads: like verify and checkpoints, they need audit-log:read, not read-all. */
@ApiTags('audit-log')
@Controller('api/v1/audit-log/proof')
export class AuditProofController {
  constructor(private readonly checkpoints: AuditCheckpointService) {}

  @Get()
  @Authenticated({ permission: 'audit-log:read' })
  @ApiOkResponse({ type: InclusionProofDto })
  proof(@Query() query: AuditProofQueryDto): Promise<InclusionProofDto> {
    return this.checkpoints.proof(query.seq);
  }
}
