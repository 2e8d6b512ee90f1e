// Queries made on every request, compiled once.
//
// Kysely builds and compiles a query's SQL each time it runs. For the query behind every logged-in
// request (the session lookup) that is a tenth of what serving a cached page costs; for the queries
// of a page made from scratch it was more than SQLite's own work (bench/README.md). compiledOnce()
// compiles the query the first time, with markers in place of its arguments, and afterwards only puts
// the new arguments where the markers were. The SQL is still Kysely's, for whichever dialect it runs on.
import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import { readCompiled } from './direct-read.js'

/** Stands for the index-th argument while the query is compiled. */
class ArgumentMarker {
  constructor(readonly index: number) {}
}

/** Compilations kept per query and database: one per number of arguments (a list of ids of a page's length). */
const MAX_SHAPES = 64

/**
 * Wraps a query builder whose arguments are used only as values (compared, inserted), never to choose
 * the query's shape except by how many there are (`...ids: number[]`: one compilation per length).
 * The first call of each length checks that every argument became a parameter (one used twice
 * becomes two).
 */
export function compiledOnce<DB, A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const compiled = new WeakMap<Kysely<DB>, Map<number, CompiledQuery<R>>>()
  return async (db: Kysely<DB>, ...args: A): Promise<R[]> => {
    let shapes = compiled.get(db)
    if (!shapes) compiled.set(db, (shapes = new Map()))
    let query = shapes.get(args.length)
    if (!query) {
      const markers = args.map((_, i) => new ArgumentMarker(i)) as unknown as A
      query = build(db, ...markers).compile()
      const used = new Set(query.parameters.filter((p) => p instanceof ArgumentMarker).map((p) => (p as ArgumentMarker).index))
      if (used.size !== args.length) throw new Error('compiledOnce: every argument must be used, as a value')
      if (shapes.size >= MAX_SHAPES) shapes.clear()
      shapes.set(args.length, query)
    }
    const parameters = query.parameters.map((p) => (p instanceof ArgumentMarker ? args[p.index] : p))
    return readCompiled(db, { ...query, parameters })
  }
}

/** Where a keyset page starts: after the row with this sort value and id. */
export interface KeysetCursor { at: string; id: number }

/**
 * A keyset-paginated list, compiled once for the first page and once for the pages after a cursor.
 * `build` gets the cursor (its parts as markers) or undefined, and adds the condition itself.
 */
export function compiledPages<DB, A extends unknown[], R>(
  build: (db: Kysely<DB>, cursor: KeysetCursor | undefined, ...args: A) => Compilable<R>,
) {
  const first = compiledOnce((db: Kysely<DB>, ...args: A) => build(db, undefined, ...args))
  const later = compiledOnce((db: Kysely<DB>, at: string, id: number, ...args: A) => build(db, { at, id }, ...args))
  return (db: Kysely<DB>, cursor: KeysetCursor | undefined, ...args: A): Promise<R[]> =>
    cursor ? later(db, cursor.at, cursor.id, ...args) : first(db, ...args)
}
