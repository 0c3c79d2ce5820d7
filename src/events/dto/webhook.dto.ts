import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalNotNull, SINGLE_LINE } from '../../common/validation';
import { EVENT_TYPES, EventType } from '../event-types';

export class CreateWebhookDto {
  @ApiProperty({ description: 'http or https; loopback and private targets are refused (SSRF)' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, description: 'the event types to send' })
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true, message: `events must be among ${EVENT_TYPES.join(', ')}` })
  events: EventType[];

  @ApiPropertyOptional({
    description: 'the HMAC key, at least 32 bytes; omit it to have one generated (shown once, in the answer)',
  })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret?: string;

  @ApiPropertyOptional({ description: 'what the receiver is, for the list' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'description must be one line of text' })
  description?: string;
}

export class WebhookViewDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true }) events: EventType[];
  @ApiProperty() description: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
}

export class CreatedWebhookDto extends WebhookViewDto {
  @ApiProperty({ description: 'the signing secret, shown only in this answer' })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookViewDto] }) items: WebhookViewDto[];
}

export class WebhookDeletedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'pending deliveries cancelled with it' }) cancelledDeliveries: number;
}

export class DeliveryAttemptDto {
  @ApiProperty() attempt: number;
  @ApiProperty() startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class DeliveryViewDto {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType: EventType;
  @ApiProperty() entityKey: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'cancelled'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'when the next attempt is due (pending only)' })
  nextAttemptAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptLog: DeliveryAttemptDto[];
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryViewDto] }) items: DeliveryViewDto[];
}
