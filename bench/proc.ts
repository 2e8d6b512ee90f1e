// What the bench reads about its processes from /proc (CPU time, memory), a free loopback port, a
// command pinned to a core, and the wait for a server it started.
import { spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'

export const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

/** CPU seconds the processes have used so far (user + system), from /proc; 0 where there is none. */
export function cpuSeconds(pid: number | undefined | ChildProcess[]): number {
  if (Array.isArray(pid)) return pid.reduce((n, c) => n + cpuSeconds(c.pid), 0)
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS // utime and stime (fields 14 and 15)
  } catch {
    return 0
  }
}

/** Resident and peak memory in MB; several instances: their memory summed. */
export function memory(pid: number | undefined | ChildProcess[]): { rssMb: number; peakMb: number } {
  if (Array.isArray(pid)) {
    const each = pid.map((c) => memory(c.pid))
    return { rssMb: each.reduce((n, m) => n + m.rssMb, 0), peakMb: each.reduce((n, m) => n + m.peakMb, 0) }
  }
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
  } catch {
    return { rssMb: 0, peakMb: 0 }
  }
}

/** Whether taskset exists here (servers are pinned to a core of their own with it). */
export const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).status === 0

/** `command` pinned to `core` where taskset exists; as it is elsewhere. */
export function onCore(core: number, command: string[]): string[] {
  return hasTaskset ? ['taskset', '-c', String(core), ...command] : command
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

/**
 * Waits until `url` answers (anything but a 5xx); throws once `timeoutMs` has passed or `child`, the
 * server's process, has exited.
 */
export async function waitForServer(url: string, { child, timeoutMs = 300_000 }: { child?: ChildProcess; timeoutMs?: number } = {}): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      if ((await fetch(url)).status < 500) return
    } catch {
      // not listening yet
    }
    if (child && child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}) before it answered`)
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
