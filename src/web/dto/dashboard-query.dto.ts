import { MAX_QUERY_INTEGER, QueryInteger } from '../../common/validation';

/** The dashboard's page of systems (?page=N, from 1). */
export class DashboardQueryDto {
  @QueryInteger(1, MAX_QUERY_INTEGER, 'page of systems, 50 a page (default 1)') page?: number;
}
