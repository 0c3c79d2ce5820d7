import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../entities/user.entity';

/** A user as the API shows one (toUserView); the password hash never leaves the service. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ description: 'true while the user holds a one-time password' }) mustChangePassword: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
