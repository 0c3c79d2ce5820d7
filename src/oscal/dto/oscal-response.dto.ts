import { ApiProperty } from '@nestjs/swagger';

/** The framework an OSCAL catalog import created. */
export class OscalCatalogImportResponseDto {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty() requirementCount: number;
  @ApiProperty() leafCount: number;
}
