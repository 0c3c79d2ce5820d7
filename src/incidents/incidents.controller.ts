import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CreateIncidentDto, CreateNotificationDto, ListIncidentsQueryDto, UpdateIncidentDto } from './dto/incident.dto';
import {
  IncidentChangeResponseDto,
  IncidentListResponseDto,
  IncidentResponseDto,
  RecordedNotificationResponseDto,
} from './dto/incident-response.dto';
import { IncidentsService } from './incidents.service';

/** The incident register. There is no DELETE: an incident is closed, never removed. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Authenticated({ permission: 'incidents:read' })
  @ApiOkResponse({ type: IncidentListResponseDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListIncidentsQueryDto): Promise<IncidentListResponseDto> {
    return this.incidents.list(actor, query);
  }

  @Post()
  @Authenticated({ permission: 'incidents:write' })
  @ApiCreatedResponse({ type: IncidentChangeResponseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateIncidentDto): Promise<IncidentChangeResponseDto> {
    return this.incidents.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'incidents:read' })
  @ApiOkResponse({ type: IncidentResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<IncidentResponseDto> {
    return this.incidents.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'incidents:write' })
  @ApiOkResponse({ type: IncidentChangeResponseDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateIncidentDto,
  ): Promise<IncidentChangeResponseDto> {
    return this.incidents.update(actor, id, dto);
  }

  @Post(':id/notifications')
  @Authenticated({ permission: 'incidents:write' })
  @ApiCreatedResponse({ type: RecordedNotificationResponseDto })
  notify(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateNotificationDto,
  ): Promise<RecordedNotificationResponseDto> {
    return this.incidents.notify(actor, id, dto);
  }

  @Get(':id/report')
  @Authenticated({ permission: 'incidents:read' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the incident report (PDF)', schema: { type: 'string', format: 'binary' } })
  async report(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    const { pdf, filename } = await this.incidents.report(actor, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${filename}"`,
      length: pdf.length,
    });
  }
}
