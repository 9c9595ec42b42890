/** How long something has waited, in words a person reads at a glance ("3 minutes", "2 hours"). */
export function ageInWords(ms: number | null): string {
  if (ms === null) return 'Nothing waiting';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return seconds < 5 ? 'Just now' : `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
