import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { EVENT_TYPES, EventType } from '../event-types';

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({ description: 'only the unread ones' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

export class NotificationViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EVENT_TYPES }) type: EventType;
  @ApiProperty({ description: 'what happened, with the record title' }) text: string;
  @ApiProperty({ description: 'the web page of the record' }) link: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) readAt: string | null;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationViewDto] }) items: NotificationViewDto[];
  @ApiProperty() unread: number;
}

export class NotificationsMarkedDto {
  @ApiProperty({ description: 'notifications that were unread and now are read' }) marked: number;
}
