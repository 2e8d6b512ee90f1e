// A search worker's side: searches on a read-only connection of its own (src/db/database.ts), one
// message per search, each in one snapshot. The main thread indexed what waited before it asked
// (searcher.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { openReadOnlyDatabase } from '../../db/database.js'
import { answerQuery } from '../answer.js'
import { inReadSnapshot } from '../queries.js'
import type { Reply, Task } from './pool.js'

const port = parentPort!
const { db } = openReadOnlyDatabase((workerData as { file: string }).file)

const fail = (id: number, err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies Reply)

port.on('message', (task: Task) => {
  inReadSnapshot(db, (snapshot) => answerQuery(snapshot, task.input))
    .then(({ value, seq }) => port.postMessage({ id: task.id, result: value, seq } satisfies Reply))
    .catch((err: unknown) => fail(task.id, err))
})
