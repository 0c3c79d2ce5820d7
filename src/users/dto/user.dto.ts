import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull, SINGLE_LINE } from '../../common/validation';
import { Role, ROLES, UserEntity } from '../entities/user.entity';

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'displayName must be a single line of text' })
  displayName: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  /** 12 to 256 characters; any Unicode (counted in code points). */
  @ApiProperty() @IsString() @MinLength(12) @MaxLength(256) password: string;
}

export class UpdateUserDto {
  @ApiProperty({ required: false })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'displayName must be a single line of text' })
  displayName?: string;
  @ApiProperty({ required: false, enum: ROLES }) @OptionalNotNull() @IsIn(ROLES) role?: Role;
  @ApiProperty({ required: false }) @OptionalNotNull() @IsBoolean() disabled?: boolean;
  @ApiProperty({ required: false }) @OptionalNotNull() @IsString() @MinLength(12) @MaxLength(256) password?: string;
}

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
  };
}
