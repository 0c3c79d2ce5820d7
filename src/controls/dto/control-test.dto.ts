import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MULTI_LINE, OptionalNotNull } from '../../common/validation';
import { CONTROL_TEST_RESULTS, ControlTestResult } from '../entities/control-test.entity';

export class CreateControlTestDto {
  @ApiProperty({ description: 'when the test was performed (not in the future)' })
  @IsISO8601({ strict: true })
  testedAt: string;

  @ApiProperty({ description: 'the procedure performed (inquiry, inspection, observation, re-performance, ...)' })
  @IsString()
  @MinLength(10, { message: 'procedure must describe what was done (at least 10 characters)' })
  @MaxLength(8000)
  @Matches(MULTI_LINE, { message: 'procedure contains control characters' })
  procedure: string;

  @ApiPropertyOptional({ description: 'size of the population sampled from, where relevant' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  populationSize?: number;

  @ApiPropertyOptional({ description: 'items tested, where relevant; at most the population' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  sampleSize?: number;

  @ApiProperty({ enum: CONTROL_TEST_RESULTS })
  @IsIn(CONTROL_TEST_RESULTS)
  result: ControlTestResult;

  @ApiPropertyOptional({
    type: [String],
    description: 'evidence of this system linked to this control that the test relied on',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];

  @ApiPropertyOptional({ description: 'findings; for fail or exception, what deviated' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(8000)
  @Matches(MULTI_LINE, { message: 'notes contains control characters' })
  notes?: string;
}

export class ControlTestTesterDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

export class ControlTestViewDto {
  @ApiProperty() id: string;
  @ApiProperty() systemId: string;
  @ApiProperty() controlCode: string;
  @ApiProperty() testedAt: string;
  @ApiProperty() procedure: string;
  @ApiProperty({ type: Number, nullable: true }) populationSize: number | null;
  @ApiProperty({ type: Number, nullable: true }) sampleSize: number | null;
  @ApiProperty({ enum: CONTROL_TEST_RESULTS }) result: ControlTestResult;
  @ApiProperty({ type: ControlTestTesterDto }) tester: ControlTestTesterDto;
  @ApiProperty({ type: [String] }) evidenceIds: string[];
  @ApiProperty() notes: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description:
      'the evaluation evidence whose threshold the server judged (an automated test: the tester is its uploader, and the four-eyes rule of manual tests does not apply); null for a test a person recorded',
  })
  automatedFromEvidenceId: string | null;
}

export class ControlTestListDto {
  @ApiProperty() systemId: string;
  @ApiProperty() controlCode: string;
  @ApiProperty({ type: Number }) total: number;
  @ApiProperty({ type: [ControlTestViewDto], description: 'newest first' }) items: ControlTestViewDto[];
}
