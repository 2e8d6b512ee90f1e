import { seed } from './seed.js'
const scale = Number(process.argv[2] ?? 0.1)
const file = process.argv[3] ?? `/tmp/scratch5/bench-${scale}/betablogg.sqlite`
const t0 = Date.now()
const r = await seed({ log: console.log, file, users: 2000, posts: 100000 * scale, comments: 500000 * scale, micro: 500000 * scale, tags: 300, commentsOnTarget: 50 })
console.log(JSON.stringify(r), (Date.now() - t0) / 1000)
