import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import type { Actor } from '../common/auth.decorators';
import { NotificationsService } from './notifications.service';

/**
 * Puts the signed-in user's unread count into every web page's locals (the bell in the layout), after the guard has
 * named the actor: one indexed count per page view, none for API calls, assets or form posts.
 */
@Injectable()
export class NotificationBellInterceptor implements NestInterceptor {
  constructor(private readonly notifications: NotificationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { actor?: Actor }>();
    const path = request.originalUrl.split('?')[0];
    if (request.method !== 'GET' || !request.actor || /^\/(api|assets)\//i.test(path) || path === '/health')
      return next.handle();
    const response = http.getResponse<Response>();
    return from(this.notifications.unreadCount(request.actor)).pipe(
      switchMap((count) => {
        response.locals.notificationCount = count;
        return next.handle();
      }),
    );
  }
}
