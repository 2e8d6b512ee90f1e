// What both change feeds remember: the number of the last change per scope, and a floor below which
// changes are not known scope by scope (they count as changes to everything).

/** The newest change among `names` (the floor if none is known; any change at all for '*'). */
export function lastChangeOf(scopes: ReadonlyMap<string, number>, floor: number, seq: number, names: Iterable<string>): number {
  let last = floor
  for (const name of names) {
    if (name === '*') return seq
    const at = scopes.get(name)
    if (at !== undefined && at > last) last = at
  }
  return last
}
