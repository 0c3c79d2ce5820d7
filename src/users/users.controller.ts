import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { UserResponseDto } from './dto/user-response.dto';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authenticated({ permission: 'users:read' })
  @ApiOkResponse({ type: [UserResponseDto] })
  list(): Promise<UserResponseDto[]> {
    return this.users.list();
  }

  @Post()
  @Authenticated({ permission: 'users:write' })
  @ApiCreatedResponse({ type: UserResponseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.users.create(actor, dto);
  }

  @Patch(':id')
  @Authenticated({ permission: 'users:write' })
  @ApiOkResponse({ type: UserResponseDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return this.users.update(actor, id, dto);
  }
}
