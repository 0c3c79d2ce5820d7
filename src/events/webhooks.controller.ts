import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryListDto,
  WebhookDeletedDto,
  WebhookListDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
@Authenticated({ permission: 'webhooks:manage' })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOkResponse({ type: WebhookListDto, description: 'live webhooks; secrets are never listed' })
  list(): Promise<WebhookListDto> {
    return this.webhooks.list();
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto, description: 'the secret appears in this answer only' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(actor, dto);
  }

  @Delete(':id')
  @ApiOkResponse({ type: WebhookDeletedDto })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookDeletedDto> {
    return this.webhooks.remove(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryListDto, description: 'the latest 100 deliveries with every attempt' })
  deliveries(@Param('id', ParseUUIDPipe) id: string): Promise<DeliveryListDto> {
    return this.webhooks.deliveries(id);
  }
}
