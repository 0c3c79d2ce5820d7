import { ArrayMaxSize, ArrayUnique, IsArray, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

export class CreateEvidencePackDto {
  @IsOptional()
  @IsUUID()
  systemId?: string;

  @IsOptional()
  @IsUUID()
  auditId?: string;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z0-9.-]{1,64}$/, { each: true })
  frameworks?: string[];

  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class ListEvidencePacksQueryDto {
  @IsOptional()
  @IsUUID()
  systemId?: string;

  @IsOptional()
  @IsUUID()
  auditId?: string;
}
