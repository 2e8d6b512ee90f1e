// A bounded memo for pure functions that pages call again and again with the same arguments (a
// person's picture beside 50 comments, the same instant formatted for every reader). Bounded: past
// `max` remembered values it starts afresh, so odd arguments cannot grow it without end; keys longer
// than `longest` (request headers a client chose) are worked out every time and never kept.
export function remembered<A extends unknown[], T>(keyOf: (...args: A) => string, make: (...args: A) => T, max: number, longest = Infinity): (...args: A) => T {
  const known = new Map<string, T>()
  return (...args) => {
    const key = keyOf(...args)
    let value = known.get(key)
    if (value === undefined) {
      value = make(...args)
      if (key.length > longest) return value
      if (known.size >= max) known.clear()
      known.set(key, value)
    }
    return value
  }
}
