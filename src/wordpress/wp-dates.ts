// WordPress dates are 'YYYY-MM-DD HH:MM:SS' text, either UTC (*_gmt) or the site's wall time, and
// '0000-00-00 00:00:00' when unset (drafts that were never scheduled). We hand out ISO-8601 UTC.

const WP_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/

function wallClockMs(text: string): number | undefined {
  const m = WP_DATE.exec(text.trim())
  if (!m) return undefined
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  if (y === 0 || mo === 0 || d === 0) return undefined
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

/** A *_gmt field → ISO-8601 UTC, or undefined for empty and 0000-00-00 dates. */
export function wpGmtToIso(text: string): string | undefined {
  const ms = wallClockMs(text)
  return ms === undefined ? undefined : new Date(ms).toISOString()
}

/** True when the text is a real date (not empty, not WordPress's zero date). */
export function isWpDateSet(text: string): boolean {
  return wallClockMs(text) !== undefined
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - utcMs
}

/** A site-local wall time (wp:post_date) → ISO-8601 UTC, read in timeZone (DST-aware). */
export function wpLocalToIso(text: string, timeZone: string): string | undefined {
  const wall = wallClockMs(text)
  if (wall === undefined) return undefined
  // Two rounds settle the offset across a DST change.
  let utc = wall - zoneOffsetMs(wall, timeZone)
  utc = wall - zoneOffsetMs(utc, timeZone)
  return new Date(utc).toISOString()
}
