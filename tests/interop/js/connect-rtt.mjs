#!/usr/bin/env node
// Connection establishment benchmark: each sample is a fresh dial (TCP or
// WebSocket, multistream-select, Noise XX, Yamux), one /ipfs/ping/1.0.0 stream
// opened and one 32-byte round trip on it. The connection is closed before the
// next sample. Prints one JSON summary line with p50/p99 in milliseconds.
//   node connect-rtt.mjs ADDR [--count 200] [--warmup 10] [--timeout 120]
import './polyfill.mjs'
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { loadPrivateKey } from './keys.mjs'
import { createNode } from './node.mjs'
import { PING_PROTOCOL, PingSession, summarise } from './ping-client.mjs'

async function sample (node, target, signal) {
  const start = performance.now()
  const connection = await node.dial(target, { signal })
  const session = new PingSession(await connection.newStream(PING_PROTOCOL, { signal }))
  await session.roundTrip(signal)
  const elapsed = performance.now() - start
  await session.finish(signal)
  await connection.close({ signal })
  if (node.getConnections().length !== 0) {
    throw new Error('a connection is still open after closing it; the next sample would reuse it')
  }
  return elapsed
}

async function main () {
  const { values, positionals } = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '10' },
      timeout: { type: 'string', default: '120' }
    },
    allowPositionals: true
  })
  if (positionals.length !== 1) throw new Error('usage: node connect-rtt.mjs ADDR [--count N] [--warmup N] [--timeout S]')
  const target = multiaddr(positionals[0])
  const host = target.getComponents()[0]
  if (!((host.name === 'ip4' && host.value.startsWith('127.')) || (host.name === 'ip6' && host.value === '::1'))) {
    throw new Error(`ADDR must be a loopback address, got ${positionals[0]}`)
  }
  const count = Number.parseInt(values.count, 10)
  const warmup = Number.parseInt(values.warmup, 10)
  const timeoutS = Number.parseInt(values.timeout, 10)
  if (!(count > 0 && warmup >= 0 && timeoutS > 0)) throw new Error('--count and --timeout must be positive, --warmup non-negative')
  // Operations abort at the deadline; the watchdog ends the process 2 s later
  // should anything ignore the abort.
  const signal = AbortSignal.timeout(timeoutS * 1000)
  setMaxListeners(Infinity, signal)
  const watchdog = setTimeout(() => {
    process.stderr.write(`connect-rtt.mjs: error: timed out after ${timeoutS} s\n`)
    process.exit(1)
  }, timeoutS * 1000 + 2000)
  const node = await createNode({ privateKey: await loadPrivateKey(), identifyOnConnect: false })
  try {
    const samples = []
    for (let i = 0; i < warmup + count; i++) {
      const ms = await sample(node, target, signal)
      if (i >= warmup) samples.push(ms)
    }
    process.stdout.write(JSON.stringify({ type: 'connect-rtt', transport: target.toString().includes('/ws') ? 'ws' : 'tcp', ...summarise(samples) }) + '\n')
  } finally {
    await node.stop()
    clearTimeout(watchdog)
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`connect-rtt.mjs: error: ${err.message}\n`)
  process.exit(1)
})
