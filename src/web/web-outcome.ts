import type { Response } from 'express';

/** What a form post leads to: another page (303, so a reload does not post again) or the form shown again. */
export type WebOutcome = { redirect: string } | { view: string; status: number; model: object };

export function sendOutcome(response: Response, outcome: WebOutcome): void {
  if ('redirect' in outcome) response.redirect(303, outcome.redirect);
  else response.status(outcome.status).render(outcome.view, outcome.model);
}
