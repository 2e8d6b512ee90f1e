// node byfn.cjs prof.cpuprofile [n] : self time by function (ms and %)
const fs = require('fs')
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const n = Number(process.argv[3] ?? 40)
const self = new Map()
const byId = new Map(p.nodes.map((x) => [x.id, x]))
const dt = new Map()
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0))
let total = 0
for (const [id, t] of dt) {
  const node = byId.get(id); const cf = node.callFrame
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*node_modules\//, 'nm/').replace(/^.*\/src\//, 'src/')}:${cf.lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + t); total += t
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, n)
for (const [k, t] of rows) console.log((t / 1000).toFixed(1).padStart(8), (100 * t / total).toFixed(1).padStart(5) + '%', k)
console.log('total ms', (total / 1000).toFixed(0))
