/** A date as the server's mail writes it: to the minute, in UTC (`2026-03-01 09:00 UTC`). */
export function mailDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
