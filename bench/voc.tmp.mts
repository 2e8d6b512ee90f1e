import { TextMaker } from './vocabulary.js'
const t = new TextMaker(2025)
console.log('vocab', t.vocabulary.length)
const counts = new Map<string, number>()
for (let i = 0; i < 1_000_000; i++) { const w = t.word(); counts.set(w, (counts.get(w) ?? 0) + 1) }
const top = [...counts].sort((a, b) => b[1] - a[1])
console.log(top.slice(0, 15).map(([w, n]) => `${w}:${(n / 1e4).toFixed(2)}%`).join(' '))
for (const w of ['kommunen', 'budsjett', 'velferdsteknologi', 'barnehage', 'trondheim', 'sensor', 'kart', 'samhandling']) console.log(w, ((counts.get(w) ?? 0) / 1e4).toFixed(3) + '%', 'rank', top.findIndex(([x]) => x === w))
console.log('distinct', counts.size)
console.log(t.sentence(20))
