// CI: the compiled server (what `npm start` and the image run) starts on a fresh DATA_DIR, answers
// /healthz with 200 and stops cleanly on SIGTERM. Run after `npm run build`; exits non-zero on failure.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-compiled-'))
const fail = (message) => {
  process.stderr.write(`compiled server: ${message}\n`)
  child.kill('SIGKILL')
  process.exit(1)
}
const child = spawn(process.execPath, ['dist/src/server.js'], {
  env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BASE_URL: 'https://betablogg.example.invalid', SESSION_SECRET: 'c'.repeat(32), LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const timer = setTimeout(() => fail('no answer within 60 s'), 60_000)
let log = ''
const listening = new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    log += chunk
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
    if (m) resolve(m[1])
  })
})
child.on('exit', (code) => { if (!stopping) fail(`exited early with ${code}:\n${log}`) })
let stopping = false

const origin = await listening
const res = await fetch(`${origin}/healthz`)
const body = await res.json()
if (res.status !== 200 || body.status !== 'ok') fail(`/healthz answered ${res.status} ${JSON.stringify(body)}`)
if (!fs.existsSync(path.join(dataDir, 'betablogg.sqlite'))) fail('no database was created in DATA_DIR')
stopping = true
const code = await new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM') })
clearTimeout(timer)
if (code !== 0) fail(`SIGTERM ended it with ${code}`)
if (!/shut down cleanly/.test(log)) fail('no clean shutdown in the log')
fs.rmSync(dataDir, { recursive: true, force: true })
process.stdout.write(`compiled server: ${process.version}, /healthz ${res.status} ${JSON.stringify(body)}, stopped cleanly\n`)
