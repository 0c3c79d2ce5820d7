import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MULTI_LINE, SINGLE_LINE } from '../../common/validation';
import { REQUIREMENT_DECISIONS, RequirementDecision } from '../entities/requirement-decision.entity';

/**
 * `none` withdraws the recorded decision: the coverage rule decides again. `not_applicable` is read as `excluded`, so
 * that asking for it on a HIPAA specification is refused with the rule that forbids it, not as an unknown word.
 */
export const DECISION_INPUTS = [...REQUIREMENT_DECISIONS, 'not_applicable', 'none'] as const;
export type DecisionInput = (typeof DECISION_INPUTS)[number];

export class RequirementDecisionDto {
  @ApiProperty({ description: 'framework key, e.g. hipaa-security' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(SINGLE_LINE)
  framework: string;

  @ApiProperty({ description: 'leaf requirement ref exactly as in the catalog, e.g. 164.312(a)(2)(iii)' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(SINGLE_LINE)
  ref: string;

  @ApiProperty({
    enum: DECISION_INPUTS,
    description:
      'excluded (or not_applicable): not applicable to this system (not for HIPAA); alternative_measure / not_reasonable_and_appropriate: HIPAA addressable ' +
      'specifications only (45 CFR 164.306(d)(3)); none: withdraw the recorded decision',
  })
  @IsIn(DECISION_INPUTS)
  decision: DecisionInput;

  @ApiProperty({ description: 'the documented reason (for alternative_measure: the measure and why it is equivalent)' })
  @IsString()
  @MinLength(10, { message: 'rationale must document the decision (at least 10 characters)' })
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'rationale contains control characters' })
  rationale: string;
}

export class RequirementDecisionViewDto {
  @ApiProperty() systemId: string;
  @ApiProperty() framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() requirementId: string;
  @ApiProperty({ enum: [...REQUIREMENT_DECISIONS, 'none'] }) decision: RequirementDecision | 'none';
  @ApiProperty() rationale: string;
  @ApiProperty() decidedBy: string;
  @ApiProperty() decidedAt: string;
}
