/** Calendar days as the tenants count them (Asia/Shanghai), written YYYY-MM-DD. */
const dayParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Beijing calendar day of an instant. */
export function beijingDay(at: number | Date = Date.now()): string {
  const p = Object.fromEntries(dayParts.formatToParts(at instanceof Date ? at : new Date(at)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** The calendar day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** This month so far: its first day and today (Beijing). */
export function thisMonth(now: number = Date.now()): { from: string; to: string } {
  const today = beijingDay(now);
  return { from: `${today.slice(0, 8)}01`, to: today };
}
