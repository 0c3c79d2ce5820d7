import { ParseUUIDPipe } from '@nestjs/common';
import { notFound } from '../common/domain-errors';

/** A page address whose id is not a UUID names nothing: "page not found", as for an id that does not exist. */
export const WebId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Page', 'at this address') });
