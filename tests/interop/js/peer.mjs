#!/usr/bin/env node
// js-libp2p peer for prowl's interop tests. Run without arguments for usage.
import './polyfill.mjs'
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { loadPrivateKey, toHex } from './keys.mjs'

// Network commands load libp2p on first use, so key-only commands start fast.
const network = () => Promise.all([import('./node.mjs'), import('./perf.mjs'), import('./ping-client.mjs')])
  .then(([node, perf, ping]) => ({ ...node, ...perf, ...ping }))

const USAGE = `usage: node peer.mjs <command> [options]
  listen --transport tcp|ws [--host 127.0.0.1] [--port 0] [--perf] [--key SEED_HEX] [--lifetime S]
      prints each listen multiaddr (with /p2p/<id>), then "ready", then one JSON
      line per event (connection, identify, disconnect); serves identify, ping
      and (with --perf) /perf/1.0.0; exits when stdin closes, on SIGTERM/SIGINT
      or after --lifetime seconds (default 600)
  ping ADDR [--count N] [--stream-per-ping]
      N round trips (default 5), one JSON line each, then a summary line
  identify ADDR
      the remote's identify result as one JSON object
  perf ADDR --upload-bytes N --download-bytes N
      JSON lines {"type":"intermediary"|"final","timeSeconds","uploadBytes","downloadBytes"}
  streams ADDR [--count 100] [--bytes 1024]
      opens N concurrent /perf/1.0.0 streams, each moving --bytes both ways
  peer-id (--private-key-protobuf HEX | --key SEED_HEX)
      the peer id js derives from a libp2p PrivateKey protobuf or Ed25519 seed
  key [--key SEED_HEX]
      JSON {peerId, privateKeyProtobuf, publicKeyProtobuf} (fresh key without --key)
common: --timeout S (default 30; the whole command for dialers), --key SEED_HEX
ADDR must be a loopback multiaddr; a /p2p/<id> suffix is verified.`

const OPTIONS = {
  transport: { type: 'string', default: 'tcp' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '0' },
  perf: { type: 'boolean', default: false },
  key: { type: 'string' },
  'private-key-protobuf': { type: 'string' },
  lifetime: { type: 'string', default: '600' },
  count: { type: 'string' },
  'stream-per-ping': { type: 'boolean', default: false },
  'upload-bytes': { type: 'string' },
  'download-bytes': { type: 'string' },
  bytes: { type: 'string', default: '1024' },
  timeout: { type: 'string', default: '30' },
  help: { type: 'boolean', default: false }
}

class UsageError extends Error {}

/** Parses a non-negative integer option; what names it for errors. */
function integer (text, what, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  if (text == null) throw new UsageError(`${what} is required`)
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${what} must be a non-negative integer, got ${JSON.stringify(text)}`)
  const value = Number(text)
  if (value < min || value > max) throw new UsageError(`${what} must be in [${min}, ${max}], got ${value}`)
  return value
}

/** Parses a dial address and refuses anything but loopback. */
function loopbackAddress (text) {
  if (text == null) throw new UsageError('ADDR is required')
  let ma
  try {
    ma = multiaddr(text)
  } catch (err) {
    throw new UsageError(`ADDR ${JSON.stringify(text)} is not a multiaddr: ${err.message}`)
  }
  const [first] = ma.getComponents()
  const loopback = (first?.name === 'ip4' && first.value.startsWith('127.')) ||
    (first?.name === 'ip6' && first.value === '::1')
  if (!loopback) throw new UsageError(`ADDR must be a loopback address (127.0.0.0/8 or ::1), got ${text}`)
  return ma
}

function printJson (value) {
  process.stdout.write(JSON.stringify(value) + '\n')
}

async function listen (args) {
  const { createNode, listenAddress } = await network()
  const transport = args.values.transport
  const port = integer(args.values.port, '--port', { max: 65535 })
  const lifetimeS = integer(args.values.lifetime, '--lifetime', { min: 1 })
  const privateKey = await loadPrivateKey({ seedHex: args.values.key })
  const node = await createNode({
    privateKey,
    listen: [listenAddress(transport, args.values.host, port)],
    perf: args.values.perf
  })
  node.addEventListener('connection:open', ({ detail: c }) =>
    printJson({ event: 'connection', peerId: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), direction: c.direction, encryption: c.encryption, multiplexer: c.multiplexer }))
  node.addEventListener('connection:close', ({ detail: c }) =>
    printJson({ event: 'disconnect', peerId: c.remotePeer.toString() }))
  node.addEventListener('peer:identify', ({ detail: r }) =>
    printJson({ event: 'identify', peerId: r.peerId.toString(), agentVersion: r.agentVersion, protocolVersion: r.protocolVersion, protocols: r.protocols }))
  const addrs = node.getMultiaddrs()
  if (addrs.length === 0) throw new Error('node has no listen address')
  for (const ma of addrs) process.stdout.write(ma.toString() + '\n')
  process.stdout.write('ready\n')

  const { promise: stopped, resolve: stop } = Promise.withResolvers()
  process.stdin.on('end', () => stop('stdin closed'))
  process.stdin.on('error', () => stop('stdin error'))
  process.stdin.resume()
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  const lifetime = setTimeout(() => stop(`lifetime of ${lifetimeS} s reached`), lifetimeS * 1000)
  const reason = await stopped
  clearTimeout(lifetime)
  process.stderr.write(`peer.mjs listen: stopping (${reason})\n`)
  await node.stop()
}

async function ping (args, node, target, signal, { PING_PROTOCOL, PingSession, summarise }) {
  const count = integer(args.values.count ?? '5', '--count', { min: 1, max: 100000 })
  const rtts = []
  let session = null
  for (let seq = 1; seq <= count; seq++) {
    if (session == null) {
      session = new PingSession(await node.dialProtocol(target, PING_PROTOCOL, { signal }))
    }
    const rttMs = await session.roundTrip(signal)
    rtts.push(rttMs)
    printJson({ type: 'ping', seq, rttMs: Math.round(rttMs * 1000) / 1000 })
    if (args.values['stream-per-ping'] || seq === count) {
      await session.finish(signal)
      session = null
    }
  }
  printJson({ type: 'summary', ...summarise(rtts) })
}

async function identifyRemote (args, node, target, signal) {
  const connection = await node.dial(target, { signal })
  const result = await node.services.identify.identify(connection, { signal })
  printJson({
    peerId: result.peerId.toString(),
    protocols: result.protocols,
    listenAddrs: result.listenAddrs.map(String),
    observedAddr: result.observedAddr?.toString() ?? null,
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    publicKey: result.publicKey == null ? null : toHex(result.publicKey),
    signedPeerRecord: result.signedPeerRecord == null
      ? null
      : { seq: result.signedPeerRecord.seq.toString(), addresses: result.signedPeerRecord.addresses.map(String) },
    connection: { remoteAddr: connection.remoteAddr.toString(), encryption: connection.encryption, multiplexer: connection.multiplexer }
  })
}

async function perf (args, node, target, signal, { runPerf }) {
  const uploadBytes = integer(args.values['upload-bytes'], '--upload-bytes')
  const downloadBytes = integer(args.values['download-bytes'], '--download-bytes')
  await runPerf(node, target, { uploadBytes, downloadBytes, signal }, printJson)
}

async function streams (args, node, target, signal, { PERF_PROTOCOL, exchangePerf, openPerfStream }) {
  const count = integer(args.values.count ?? '100', '--count', { min: 1, max: 1000 })
  const bytes = integer(args.values.bytes, '--bytes', { max: 1 << 30 })
  // One connection; every stream is open (negotiated) before any data moves.
  const connection = await node.dial(target, { signal })
  const start = performance.now()
  const opened = await Promise.all(Array.from({ length: count }, () =>
    openPerfStream(node, target, { signal, maxOutboundStreams: count })))
  const openAtOnce = connection.streams.filter(s => s.protocol === PERF_PROTOCOL).length
  const results = await Promise.allSettled(opened.map(stream =>
    exchangePerf(stream, { uploadBytes: bytes, downloadBytes: bytes, signal }, () => {})))
  const failed = results.filter(r => r.status === 'rejected')
  const connections = node.getConnections().length
  printJson({ type: 'streams', count, openAtOnce, ok: count - failed.length, failed: failed.length, bytesEachWay: bytes, connections, timeSeconds: (performance.now() - start) / 1000 })
  if (failed.length > 0) throw new Error(`${failed.length} of ${count} streams failed; first: ${failed[0].reason.message}`)
  if (openAtOnce !== count) throw new Error(`expected ${count} perf streams open at once, saw ${openAtOnce}`)
  if (connections !== 1) throw new Error(`expected all streams on one connection, found ${connections} connections`)
}

async function peerId (args) {
  const { key, 'private-key-protobuf': protobufHex } = args.values
  if ((key == null) === (protobufHex == null)) throw new UsageError('peer-id needs exactly one of --private-key-protobuf HEX or --key SEED_HEX')
  const privateKey = await loadPrivateKey({ seedHex: key, protobufHex })
  process.stdout.write(peerIdFromPrivateKey(privateKey).toString() + '\n')
}

async function keyInfo (args) {
  const privateKey = await loadPrivateKey({ seedHex: args.values.key })
  printJson({
    peerId: peerIdFromPrivateKey(privateKey).toString(),
    privateKeyProtobuf: toHex(privateKeyToProtobuf(privateKey)),
    publicKeyProtobuf: toHex(publicKeyToProtobuf(privateKey.publicKey))
  })
}

const DIALERS = { ping, identify: identifyRemote, perf, streams }

/**
 * Runs a dialer command on a fresh node. Every operation is aborted after
 * --timeout seconds; a watchdog ends the process 2 s later should anything
 * (including shutting the node down) ignore the abort.
 */
async function dialer (command, args) {
  const target = loopbackAddress(args.positionals[1])
  const timeoutS = integer(args.values.timeout, '--timeout', { min: 1, max: 3600 })
  const signal = AbortSignal.timeout(timeoutS * 1000)
  setMaxListeners(Infinity, signal)
  const watchdog = setTimeout(() => {
    process.stderr.write(`peer.mjs ${command}: error: timed out after ${timeoutS} s\n`)
    process.exit(1)
  }, timeoutS * 1000 + 2000)
  const net = await network()
  const privateKey = await loadPrivateKey({ seedHex: args.values.key })
  const node = await net.createNode({ privateKey, identifyOnConnect: command !== 'identify', timeoutMs: timeoutS * 1000 })
  try {
    await DIALERS[command](args, node, target, signal, net)
  } catch (err) {
    throw signal.aborted ? new Error(`timed out after ${timeoutS} s (${err.message})`) : err
  } finally {
    await node.stop()
    clearTimeout(watchdog)
  }
}

async function main () {
  let args
  try {
    args = parseArgs({ options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(err.message)
  }
  const command = args.positionals[0]
  if (args.values.help || command == null) {
    process.stdout.write(USAGE + '\n')
    return args.values.help ? 0 : 2
  }
  if (command === 'listen') await listen(args)
  else if (command === 'peer-id') await peerId(args)
  else if (command === 'key') await keyInfo(args)
  else if (command in DIALERS) await dialer(command, args)
  else throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  return 0
}

main().then((code) => process.exit(code), (err) => {
  const command = process.argv[2] ?? ''
  process.stderr.write(`peer.mjs ${command}: error: ${err.message}\n`)
  if (err instanceof UsageError) process.stderr.write(USAGE + '\n')
  process.exit(err instanceof UsageError ? 2 : 1)
})
