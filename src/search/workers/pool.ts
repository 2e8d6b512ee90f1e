// Threads that run new searches (SQLite). A new search costs milliseconds of SQLite and highlighting;
// on the main thread every page asked for meanwhile waits behind it. In a worker it runs beside the
// pages: on another core where there is one, and on a single core the system shares it between the
// threads instead of serving the search first. Workers start at the first search and are replaced
// when one stops.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { SearchInput, SearchResult } from '../answer.js'
import type { Made } from '../kept-answers.js'

export interface Task { id: number; input: SearchInput }
export type Reply = { id: number; result: SearchResult; seq: number } | { id: number; error: string }

/** The worker stopped (or could not start) before it answered: the search itself may well succeed elsewhere. */
export class WorkerStopped extends Error {}

/** After a worker stops, its place is left empty this long (a worker that cannot start is not started again and again). */
const RESTART_AFTER_MS = 10_000
/** A search not answered in this time stops its worker (a search is bounded; this one is stuck). */
const ANSWER_WITHIN_MS = 30_000
/** Searches one worker holds at most; beyond, another place answers them (searcher.ts: the server's thread). */
const MAX_IN_HAND = 64

/**
 * A search's objects live for one message: a small young generation holds them (V8's default grows
 * to tens of MB per thread; at full size a worker then held 56 MB, with this 41–47, at the same CPU).
 */
const YOUNG_GENERATION_MB = 4

/** The thread's file beside this one: compiled (.js), or run through tsx (.ts) in development and benchmarks. */
const THREAD = new URL(`./thread${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url)

interface Pending { resolve: (made: Made) => void; reject: (e: Error) => void }
interface Slot { worker?: Worker; tasks: Map<number, Pending>; restartAt: number }

export class SearchWorkers {
  private readonly slots: Slot[]
  private next = 1
  private closed = false

  constructor(
    private readonly file: string, size: number, private readonly onStop: (err: Error) => void,
    private readonly limits = { answerWithinMs: ANSWER_WITHIN_MS, maxInHand: MAX_IN_HAND },
  ) {
    this.slots = Array.from({ length: size }, () => ({ tasks: new Map(), restartAt: 0 }))
  }

  /** Workers running now. */
  get running(): number {
    return this.slots.filter((s) => s.worker).length
  }

  /** Whether a worker can take a search now (one is running, or may be started). */
  available(now = Date.now()): boolean {
    return !this.closed && this.slots.some((s) => s.worker || s.restartAt <= now)
  }

  /** Runs the search in the worker with the fewest in hand. Rejects with WorkerStopped if none can answer. */
  run(input: SearchInput): Promise<Made> {
    const now = Date.now()
    const slot = this.slots
      .filter((s) => !this.closed && (s.worker || s.restartAt <= now) && s.tasks.size < this.limits.maxInHand)
      .reduce<Slot | undefined>((a, b) => (a && a.tasks.size <= b.tasks.size ? a : b), undefined)
    if (!slot) return Promise.reject(new WorkerStopped('no search worker can take it now'))
    let worker: Worker
    try {
      worker = slot.worker ?? this.start(slot)
    } catch (err) {
      slot.restartAt = now + RESTART_AFTER_MS
      this.onStop(err as Error)
      return Promise.reject(new WorkerStopped(`search worker did not start: ${(err as Error).message}`))
    }
    const id = this.next++
    return new Promise<Made>((resolve, reject) => {
      const timer = setTimeout(() => void worker.terminate(), this.limits.answerWithinMs)
      timer.unref()
      slot.tasks.set(id, {
        resolve: (made) => (clearTimeout(timer), resolve(made)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      })
      // A worker holds the process open only while it has a search in hand.
      if (slot.tasks.size === 1) worker.ref()
      worker.postMessage({ id, input } satisfies Task)
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.map((s) => s.worker?.terminate()))
  }

  private start(slot: Slot): Worker {
    const options = { workerData: { file: this.file }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }
    // Through tsx: Node 20's workers do not take the parent's `--import tsx` hooks; the thread registers them first.
    const throughTsx = () => `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD.href)}) })`
    const worker = THREAD.pathname.endsWith('.ts') ? new Worker(throughTsx(), { ...options, eval: true }) : new Worker(THREAD, options)
    slot.worker = worker
    worker.on('message', (reply: Reply) => {
      const task = slot.tasks.get(reply.id)
      if (!task) return
      slot.tasks.delete(reply.id)
      if (!slot.tasks.size) worker.unref()
      if ('error' in reply) task.reject(new Error(reply.error))
      else task.resolve({ result: reply.result, seq: reply.seq })
    })
    const stopped = (err: Error) => {
      if (slot.worker !== worker) return
      slot.worker = undefined
      slot.restartAt = Date.now() + RESTART_AFTER_MS
      for (const task of slot.tasks.values()) task.reject(new WorkerStopped(`search worker stopped: ${err.message}`))
      slot.tasks.clear()
      if (!this.closed) this.onStop(err)
    }
    worker.on('error', stopped)
    worker.on('exit', (code) => stopped(new Error(`exited with code ${code}`)))
    worker.unref()
    return worker
  }
}
