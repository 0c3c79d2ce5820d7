import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runWithToken } from '../audit-log/audit-attribution';
import type { AuthenticatedRequest } from './auth.guard';

/**
 * Runs a request signed in with an API token under that token (audit-attribution.ts), so every audit entry the
 * request writes in its creator's name also names the token. The handler is started inside the context: Nest binds
 * it to the async context current when next.handle() is called.
 */
@Injectable()
export class TokenAttributionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    const token = actor?.token;
    if (!actor || !token) return next.handle();
    return new Observable((subscriber) =>
      runWithToken({ actor: actor.email, tokenId: token.id, tokenName: token.name }, () =>
        next.handle().subscribe(subscriber),
      ),
    );
  }
}
