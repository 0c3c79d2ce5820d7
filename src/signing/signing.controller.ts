import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators';
import { SigningKeysDto } from './dto/signing-key.dto';
import { SigningKeyService } from './signing-key.service';

@ApiTags('signing-key')
@Controller('api/v1/signing-key')
export class SigningController {
  constructor(private readonly signing: SigningKeyService) {}

  /** Public: whoever checks a bundle needs the key, and it is a public key. */
  @Get()
  @Public()
  @ApiOkResponse({ type: SigningKeysDto })
  keys(): Promise<SigningKeysDto> {
    return this.signing.publicKeys();
  }
}
