/** "2 d 4 h left", "21 h 05 min left", "overdue by 3 h 10 min"; app.js keeps the same words current. */
export function countdown(msUntilDue: number | null, open: boolean): string {
  if (!open) return '';
  if (msUntilDue === null) return 'no fixed period: act now';
  const text = duration(Math.abs(msUntilDue));
  return msUntilDue < 0 ? `overdue by ${text}` : `${text} left`;
}

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${minutes % 60} min`;
}
