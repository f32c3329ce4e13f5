#!/usr/bin/env node
// Test assertion over a file of JSON lines (non-JSON lines are ignored):
//   node assert-json.mjs FILE 'EXPRESSION' 'what is expected'
// EXPRESSION is JavaScript evaluated with `lines` (every parsed line), `last`
// (the last parsed line) and `env` (process.env); the assertion holds when it
// is truthy. Exits 1 with the description and the file's text otherwise.
import { readFileSync } from 'node:fs'

const [file, expression, description] = process.argv.slice(2)
if (description == null) {
  process.stderr.write("usage: node assert-json.mjs FILE 'EXPRESSION' 'what is expected'\n")
  process.exit(2)
}
const text = readFileSync(file, 'utf8')
const lines = []
for (const line of text.split('\n')) {
  if (!line.startsWith('{')) continue
  try {
    lines.push(JSON.parse(line))
  } catch {
    // a line that merely starts with '{' is not data
  }
}
let holds = false
let failure = ''
try {
  // eslint-disable-next-line no-new-func
  holds = Boolean(new Function('lines', 'last', 'env', `return (${expression})`)(lines, lines.at(-1), process.env))
} catch (err) {
  failure = ` (${err.message})`
}
if (!holds) {
  process.stderr.write(`assertion failed: ${description}${failure}\n  expression: ${expression}\n  ${file}:\n${text}\n`)
  process.exit(1)
}
