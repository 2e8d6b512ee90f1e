// Keyset pagination cursors: "<ISO time>~<id>", the sort key of the last row of the previous page.
// Lists sorted by (time, id) continue after it, so page 100 costs the same as page 1.

export interface Cursor {
  at: string
  id: number
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/

export function encodeCursor(at: string, id: number): string {
  return `${at}~${id}`
}

/** The cursor, or undefined for anything malformed (a hand-edited URL gets the first page). */
export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined
  const m = /^(.+)~(\d{1,15})$/.exec(raw)
  if (!m || !ISO.test(m[1]!)) return undefined
  return { at: m[1]!, id: Number(m[2]) }
}

/** Splits the `limit + 1` rows a query fetched into the page and the cursor of the next one. */
export function pageOf<R>(rows: R[], limit: number, key: (r: R) => Cursor): { items: R[]; next?: string } {
  if (rows.length <= limit) return { items: rows }
  const items = rows.slice(0, limit)
  const last = key(items[items.length - 1]!)
  return { items, next: encodeCursor(last.at, last.id) }
}
