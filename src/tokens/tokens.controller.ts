import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CreatedTokenResponseDto, CreateTokenDto, TokenResponseDto } from './dto/token.dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @Authenticated({ permission: 'tokens:manage' })
  @ApiCreatedResponse({ type: CreatedTokenResponseDto, description: 'the token itself is in this answer only' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTokenDto): Promise<CreatedTokenResponseDto> {
    return this.tokens.create(actor, dto);
  }

  @Get()
  @Authenticated({ permission: 'tokens:manage' })
  @ApiOkResponse({ type: [TokenResponseDto], description: "every token with users:write, else the caller's own" })
  list(@CurrentActor() actor: Actor): Promise<TokenResponseDto[]> {
    return this.tokens.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ permission: 'tokens:manage' })
  @ApiNoContentResponse({ description: 'revoked: the next request with it is 401, on every instance' })
  async revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.tokens.revoke(actor, id);
  }
}
