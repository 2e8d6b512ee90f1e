// SQLite with more than one process writing (the server beside the CLI: an import, a backup, a user
// command). Kysely's driver begins transactions DEFERRED: such a transaction reads first and fails at
// once with SQLITE_BUSY when it wants to write while another process writes, whatever the busy
// timeout. This dialect begins every transaction IMMEDIATE (the write lock is taken up front, so a
// transaction that began never fails for lack of it) and retries what may be retried — BEGIN itself
// and statements outside a transaction, neither of which has changed anything when it fails — with a
// growing pause, up to a bound. Feature code does not know: it calls db.transaction() as before.
import type SQLite from 'better-sqlite3'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryCompiler, type QueryResult,
} from 'kysely'

export interface BusyPolicy {
  /** After this long of SQLITE_BUSY answers the error is passed on. */
  giveUpAfterMs: number
}

/** The default: beside SQLite's own busy timeout (it waits inside each attempt). */
export const BUSY_POLICY: BusyPolicy = { giveUpAfterMs: 20_000 }

/** SQLITE_BUSY and its extended codes (_SNAPSHOT, _RECOVERY, _TIMEOUT). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** Runs fn again while it fails with SQLITE_BUSY, pausing 20 ms, 40 ms … (at most 500 ms, jittered). */
export async function retryWhileBusy<T>(fn: () => Promise<T>, policy: BusyPolicy): Promise<T> {
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!isBusy(err) || Date.now() - started >= policy.giveUpAfterMs) throw err
      const pause = Math.min(500, 20 * 2 ** attempt)
      await sleep(pause / 2 + Math.random() * pause / 2)
    }
  }
}

// BEGIN, COMMIT, SAVEPOINT … are never retried blindly: their outcome belongs to the transaction.
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i

export class ImmediateSqliteDialect extends SqliteDialect {
  /** `database`: what Kysely prepares statements on (may be a caching view); `sqlite`: the handle itself. */
  constructor(database: SQLite.Database, private readonly sqlite: SQLite.Database, private readonly policy: BusyPolicy = BUSY_POLICY) {
    super({ database })
  }

  override createDriver(): Driver {
    return new ImmediateDriver(super.createDriver(), this.sqlite, this.policy)
  }
}

class ImmediateDriver implements Driver {
  private readonly connections = new WeakMap<DatabaseConnection, DatabaseConnection>()

  constructor(private readonly inner: Driver, private readonly sqlite: SQLite.Database, private readonly policy: BusyPolicy) {}

  init(): Promise<void> {
    return this.inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.inner.acquireConnection()
    let wrapped = this.connections.get(conn)
    if (!wrapped) {
      wrapped = this.retrying(conn)
      this.connections.set(conn, wrapped)
    }
    return wrapped
  }

  /** Statements outside a transaction are retried while busy; inside one they hold the lock already. */
  private retrying(conn: DatabaseConnection): DatabaseConnection {
    return {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        if (this.sqlite.inTransaction || TRANSACTION_CONTROL.test(query.sql)) return conn.executeQuery<R>(query)
        return retryWhileBusy(() => conn.executeQuery<R>(query), this.policy)
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => conn.streamQuery<R>(query, chunkSize),
    }
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await retryWhileBusy(() => conn.executeQuery(CompiledQuery.raw('begin immediate')), this.policy)
  }

  commitTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(conn)
  }

  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(conn)
  }

  savepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(conn, name, compile)
  }

  rollbackToSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(conn, name, compile)
  }

  releaseSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(conn, name, compile)
  }

  releaseConnection(conn: DatabaseConnection): Promise<void> {
    // The inner driver has one connection and a mutex; it ignores which connection it is given.
    return this.inner.releaseConnection(conn)
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}
