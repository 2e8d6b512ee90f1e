// A rehearsal on PostgreSQL: work done through a Kysely handle whose every write is undone at the
// end (the import's dry run; SQLite rehearses on a copy of its file instead). One connection of the
// pool holds one outer transaction that is rolled back; the work's own transactions become
// savepoints inside it, so the work runs exactly as it would for real and sees its own writes.
import {
  CompiledQuery, type DatabaseConnection, type Driver, Kysely, PostgresAdapter, PostgresIntrospector,
  PostgresQueryCompiler, type QueryResult, sql,
} from 'kysely'
import type { DB } from '../schema.js'

/** Marks a rehearsal's handle: nothing it writes is ever seen by anyone else (see serialize()). */
export class RehearsalAdapter extends PostgresAdapter {}

export async function rehearse<T>(db: Kysely<DB>, work: (rehearsal: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn)
    const rehearsal = new Kysely<DB>({
      dialect: {
        createAdapter: () => new RehearsalAdapter(),
        createDriver: () => new SavepointDriver((q) => conn.executeQuery(q)),
        createQueryCompiler: () => new PostgresQueryCompiler(),
        createIntrospector: (k) => new PostgresIntrospector(k),
      },
    })
    try {
      return await work(rehearsal)
    } finally {
      await sql`rollback`.execute(conn)
    }
  })
}

/** One connection, handed to one user at a time (as Kysely's SQLite driver does); transactions are savepoints. */
class SavepointDriver implements Driver {
  private queue: Promise<void> = Promise.resolve()
  private release: (() => void) | undefined
  private readonly connection: DatabaseConnection

  constructor(run: (q: CompiledQuery) => Promise<QueryResult<unknown>>) {
    this.connection = {
      executeQuery: run as DatabaseConnection['executeQuery'],
      streamQuery: () => { throw new Error('streaming is not supported in a rehearsal') },
    }
  }

  async init(): Promise<void> {}
  async destroy(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const before = this.queue
    let release!: () => void
    this.queue = new Promise((resolve) => { release = resolve })
    await before
    this.release = release
    return this.connection
  }

  async releaseConnection(): Promise<void> {
    this.release?.()
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('savepoint rehearsal_transaction'))
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('release savepoint rehearsal_transaction'))
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback to savepoint rehearsal_transaction'))
    await c.executeQuery(CompiledQuery.raw('release savepoint rehearsal_transaction'))
  }

  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint ${sqlName(name)}`))
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to savepoint ${sqlName(name)}`))
  }

  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release savepoint ${sqlName(name)}`))
  }
}

function sqlName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`not a savepoint name: ${name}`)
  return name
}
