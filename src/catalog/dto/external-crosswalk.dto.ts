import { ApiProperty } from '@nestjs/swagger';

export class ExternalCrosswalkLinkDto {
  @ApiProperty() fromRef: string;
  @ApiProperty() toRef: string;
  @ApiProperty({ description: 'the OSCAL relationship the imported map asserts (source relationship target)' })
  relationship: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the workbench strength prop (1-10), when present' })
  strength: number | null;
  @ApiProperty({ description: 'the remarks of the map, as imported' }) remarks: string;
}

/** An imported OSCAL mapping collection's links for one framework pair, shown beside the derived crosswalk. */
export class ExternalCrosswalkDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'the uuid of the imported mapping-collection' }) collectionUuid: string;
  @ApiProperty({ enum: ['human', 'automation', 'hybrid'] }) method: string;
  @ApiProperty({ enum: ['syntactic', 'semantic', 'functional'] }) matchingRationale: string;
  @ApiProperty() importedAt: string;
  @ApiProperty() importedBy: string;
  @ApiProperty({ type: [ExternalCrosswalkLinkDto] }) links: ExternalCrosswalkLinkDto[];
}

export class ExternalCrosswalkImportResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'source -> target pairs stored, over all mappings of the collection' })
  linkCount: number;
  @ApiProperty({ type: [String], description: '"from -> to" framework pairs the collection maps' })
  pairs: string[];
}
