import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { SINGLE_LINE } from '../../common/validation';

/**
 * Where pushed evidence came from: the pipeline run that produced it. Every field is optional and single-line;
 * runUrl is an http(s) URL, commitSha 7-64 hex digits (a short or full SHA-1 or SHA-256 commit id).
 */
export class EvidenceProvenanceDto {
  @ApiPropertyOptional({ description: 'the producing system, e.g. github-actions, gitlab-ci, mlflow', maxLength: 80 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(SINGLE_LINE, { message: 'provenance.source must be a single line of text' })
  source?: string;

  @ApiPropertyOptional({
    description: 'the pipeline or workflow, e.g. org/repo/.github/workflows/eval.yml',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'provenance.pipeline must be a single line of text' })
  pipeline?: string;

  @ApiPropertyOptional({ description: 'the run, an http(s) URL', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'provenance.runUrl must be an http(s) URL' },
  )
  runUrl?: string;

  @ApiPropertyOptional({ description: 'the commit the run built, 7-64 hex digits' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{7,64}$/, { message: 'provenance.commitSha must be 7 to 64 hex digits' })
  commitSha?: string;

  @ApiPropertyOptional({
    description: "the model version evaluated; the evidence's modelVersion when that is not sent",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(SINGLE_LINE, { message: 'provenance.modelVersion must be a single line of text' })
  modelVersion?: string;

  @ApiPropertyOptional({ description: 'the dataset version used', maxLength: 80 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(SINGLE_LINE, { message: 'provenance.datasetVersion must be a single line of text' })
  datasetVersion?: string;
}
