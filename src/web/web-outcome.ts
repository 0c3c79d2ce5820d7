import type { Response } from 'express';
import { Flash, setFlash } from './web-flash';

/**
 * What a form post leads to: another page (303, so a reload does not post again), with an optional one-time message
 * for it, or the form shown again.
 */
export type WebOutcome = { redirect: string; flash?: Flash } | { view: string; status: number; model: object };

export function sendOutcome(response: Response, outcome: WebOutcome): void {
  if ('redirect' in outcome) {
    if (outcome.flash) setFlash(response, outcome.flash);
    response.redirect(303, outcome.redirect);
  } else response.status(outcome.status).render(outcome.view, outcome.model);
}
