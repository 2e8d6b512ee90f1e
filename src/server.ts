// Entry point: load config → build app (migrations run inside) → listen; close gracefully.
import v8 from 'node:v8'
import { ConfigError, loadConfig } from './config.js'
import { buildApp } from './app.js'
import { lockDatabase, ServerAlreadyRunning, type ServerLock } from './db/server-lock.js'
import { DatabaseNotWritable } from './db/writable.js'

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Betablogg cannot start.\n${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  // When collecting is quick, V8 lets the old generation grow to several times what is live: kept
  // pages die there, and the server stood 90 MB larger for it (bench/README.md, thirteenth run).
  if (config.heapGrowthPercent) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`)
  // Before anything touches the database (migrations): a second server stops here.
  let lock: ServerLock
  try {
    // PostgreSQL: instances share the database and DATA_DIR (uploads) by design, so no lock.
    lock = config.databaseUrl ? { release() {} } : lockDatabase(config.databaseFile, { shared: config.sqliteInstances === 'shared' })
  } catch (err) {
    process.stderr.write(`Betablogg cannot start.\n${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(err instanceof ServerAlreadyRunning ? 3 : 1)
  }
  const app = await buildApp(config)
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing requests')
    // In-flight requests finish; a stuck one cannot hold the process hostage.
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out')
      process.exit(1)
    }, 10_000)
    timer.unref()
    // Kept-alive clients are told (503 + Connection: close) rather than reset; idle ones are closed
    // after the grace. In-flight requests finish meanwhile.
    await app.drain(Math.min(app.server.keepAliveTimeout || 2000, 2000))
    await app.close()
    lock.release()
    app.log.info('shut down cleanly')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  await app.listen({ host: config.host, port: config.port })
  app.log.info({ baseUrl: config.baseUrl, dataDir: config.dataDir, visibility: config.siteVisibility }, 'Betablogg is running')
}

main().catch((err) => {
  if (err instanceof DatabaseNotWritable) {
    process.stderr.write(`Betablogg cannot start.\n${err.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`Betablogg failed to start: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
