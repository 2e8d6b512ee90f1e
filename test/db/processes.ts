// Real processes on one DATA_DIR: the server (src/server.ts) and the command line (src/cli/main.ts),
// started as an operator starts them. For the tests of what happens between processes.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The same file kind and loader the tests run with: TypeScript through tsx, or the compiled build.
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const EXT = path.extname(fileURLToPath(import.meta.url))

export interface Proc {
  child: ChildProcess
  /** Standard output and error so far. */
  output(): string
  exited: Promise<number | null>
}

export function start(script: 'src/server' | 'src/cli/main', args: string[], env: Record<string, string>,
  opts: { uid?: number; gid?: number } = {}): Proc {
  const child = spawn(process.execPath, [...process.execArgv, script + EXT, ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...opts,
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}

/** Waits for the server to listen; returns its base URL (it is started with PORT=0). */
export async function listening(p: Proc, timeoutMs = 120_000): Promise<string> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(p.output())
    if (m) return m[1]!
    if (p.child.exitCode !== null) throw new Error(`the server exited (${p.child.exitCode}):\n${p.output()}`)
    if (Date.now() > until) throw new Error(`the server did not start:\n${p.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Kills what is still running when the test ends. */
export function killAtEnd(t: { after(fn: () => unknown): void }, ...procs: Proc[]): void {
  t.after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL')
      await p.exited
    }
  })
}
