// Buffers for pages assembled for one response and kept by nobody (a page from a shared body, see
// shared-page.ts bytesOf): taken from a few kept per size and given back when the response is over.
//
// Why: a buffer per response of a large page (a post with 50 comments is over 100 KB) is memory from
// malloc that comes back only when a collection finds the buffer's small object dead; making them and
// the collections they brought on cost more than the copying. Used again, the cold post page cost
// 0.79 CPU ms a request against 1.05, taken in turns (bench/README.md, fourteenth run); smaller pages
// and the server's peak memory did not move measurably.
//
// Safe only while nothing holds such a page past its response: viewShared never assembles one for
// the anonymous page cache (it makes those alone), the session page cache keeps such a page as its
// parts (req.pageParts), never its bytes, and no onSend hook keeps the payload (no compression,
// ETag or log of the body after the response). Node's 'close' comes after the socket has taken the
// last byte, or once the connection is gone and nothing more will be written.
import type { ServerResponse } from 'node:http'

/** Below this a buffer of its own costs little (small ones Node takes from its own slabs). */
const MIN_SIZE = 16 * 1024
/** Above this a page is rare: made for its response alone. */
const MAX_SIZE = 1024 * 1024
/**
 * Buffers kept per size: responses in flight at once on one thread are few. At most 16 MB in all
 * (8 of each size from 16 KB to 1 MB); pages of 50-250 KB keep about 3.5 MB.
 */
const KEPT_PER_SIZE = 8

/** Free buffers by size (powers of two from MIN_SIZE). */
const free = new Map<number, Buffer[]>()

function sizeClass(size: number): number {
  let c = MIN_SIZE
  while (c < size) c *= 2
  return c
}

/**
 * `size` bytes, not cleared (the caller writes every one), for a response that sends them and
 * nothing keeps: they are written over by another page once `res` closes (after its last byte was
 * handed to the system, or the connection was lost).
 */
export function responseBuffer(res: ServerResponse, size: number): Buffer {
  if (size < MIN_SIZE || size > MAX_SIZE) return Buffer.allocUnsafe(size)
  const c = sizeClass(size)
  let list = free.get(c)
  if (!list) free.set(c, (list = []))
  const whole = list.pop() ?? Buffer.allocUnsafeSlow(c)
  res.once('close', () => {
    if (list.length < KEPT_PER_SIZE) list.push(whole)
  })
  return whole.subarray(0, size)
}

/** How many buffers are kept free (tests). */
export function freeResponseBuffers(): number {
  let n = 0
  for (const list of free.values()) n += list.length
  return n
}
