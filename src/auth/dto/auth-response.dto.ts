import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from '../../users/dto/user-response.dto';

export class LoginResponseDto {
  @ApiProperty({ description: 'send as Authorization: Bearer <token>; the same value is set as the wb_session cookie' })
  token: string;
  @ApiProperty({ description: 'cookie clients send it in x-csrf-token on every write' }) csrfToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
}
