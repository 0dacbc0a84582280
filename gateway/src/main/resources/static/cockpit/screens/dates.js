// ISO dates for the reports' periods (UTC, like the services).
export const iso = (d) => d.toISOString().slice(0, 10);
export function lastMonths(n) {
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - n + 1, 1));
  return { from: iso(from), to: iso(to) };
}
