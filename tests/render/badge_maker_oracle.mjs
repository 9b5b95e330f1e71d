// Render badges with the real badge-maker 6.0.0 for the geometry comparison test.
// Usage: node badge_maker_oracle.mjs <node_modules dir> [--warm]  (reads a JSON array of makeBadge
// arguments on stdin, writes {"svgs": [...], "seconds": rendering time} on stdout).
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const modules = process.argv[2]
const entry = path.join(modules, 'badge-maker', 'lib', 'index.js')
const { makeBadge } = await import(pathToFileURL(entry).href)

let input = ''
process.stdin.setEncoding('utf8')
for await (const chunk of process.stdin) input += chunk
const cases = JSON.parse(input)
if (process.argv[3] === '--warm') cases.forEach(c => makeBadge(c)) // JIT warm-up, untimed
const started = process.hrtime.bigint()
const out = cases.map(c => makeBadge(c))
const elapsed = Number(process.hrtime.bigint() - started) / 1e9
process.stdout.write(JSON.stringify({ svgs: out, seconds: elapsed }))
