// A js-libp2p gossipsub host for prowl's pubsub interop tests, and a raw
// /meshsub/1.1.0 client that sends messages with a forged or missing
// signature.
//
//   node gossip-peer.mjs listen --topic T [--key SEED_HEX] [--port 0] [--lifetime 120]
//       prints its listen multiaddr (ending in /p2p/<id>), then "ready"; then one
//       JSON line per message of T from another host:
//         {"topic","from","seqno" (16 hex digits),"data"}   (as `prowl sub` prints)
//       and reads commands on stdin, one per line:
//         connect <multiaddr>     dial a peer
//         pub <text>              publish <text> to T
//       exits when stdin closes, on SIGTERM/SIGINT or after --lifetime s.
//   node gossip-peer.mjs forge ADDR --topic T
//       dials ADDR, opens a /meshsub/1.1.0 stream, subscribes to T and sends one
//       RPC with two messages of T: "forged" (a signature of random bytes) and
//       "unsigned" (no signature); prints {"type":"forged","sent":2}.
import './polyfill.mjs'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub } from '@libp2p/gossipsub'
import { RPC } from '@libp2p/gossipsub/message'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import * as varint from 'uint8-varint'
import { loadPrivateKey } from './keys.mjs'
import { sendWithBackpressure } from './stream-io.mjs'

/** The JSON line of one received message, in `prowl sub`'s format. */
export function messageLine (message) {
  const seqno = message.sequenceNumber ?? 0n
  return JSON.stringify({
    topic: message.topic,
    from: message.from?.toString() ?? '',
    seqno: seqno.toString(16).padStart(16, '0'),
    data: new TextDecoder().decode(message.data)
  })
}

/**
 * Starts a gossipsub host on loopback subscribed to `topic`; calls
 * onMessage(message) for every message of it from other hosts.
 */
export async function createGossipHost ({ topic, seedHex, port = 0, onMessage = () => {}, withPubsub = true }) {
  const privateKey = await loadPrivateKey({ seedHex })
  const services = { identify: identify() }
  if (withPubsub) {
    services.pubsub = gossipsub({ emitSelf: false, allowPublishToZeroTopicPeers: true, heartbeatInterval: 1000 })
  }
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: withPubsub ? [`/ip4/127.0.0.1/tcp/${port}`] : [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10000, maxIncomingPendingConnections: 1000 },
    services
  })
  if (withPubsub) {
    node.services.pubsub.subscribe(topic)
    node.services.pubsub.addEventListener('message', ({ detail }) => {
      if (detail.topic === topic) onMessage(detail)
    })
  }
  return node
}

/** Sends one RPC with a forged-signature and an unsigned message of `topic` to `address`. */
export async function forge (address, topic) {
  const node = await createGossipHost({ topic, withPubsub: false })
  try {
    const stream = await node.dialProtocol(multiaddr(address), '/meshsub/1.1.0')
    const from = node.peerId.toMultihash().bytes
    const message = (data, signature) => ({
      from,
      data: new TextEncoder().encode(data),
      seqno: randomBytes(8),
      topic,
      ...(signature ? { signature } : {})
    })
    const body = RPC.encode({
      subscriptions: [{ subscribe: true, topic }],
      messages: [message('forged', randomBytes(64)), message('unsigned', null)]
    })
    const frame = new Uint8Array(varint.encodingLength(body.byteLength) + body.byteLength)
    varint.encodeUint8Array(body.byteLength, frame)
    frame.set(body, varint.encodingLength(body.byteLength))
    await sendWithBackpressure(stream, frame)
    // Give the receiver time to read it before the connection goes away.
    await new Promise(resolve => setTimeout(resolve, 500))
    await stream.close()
  } finally {
    await node.stop()
  }
  return 2
}

async function listen (values) {
  const lifetimeS = Number(values.lifetime)
  const node = await createGossipHost({
    topic: values.topic,
    seedHex: values.key,
    port: Number(values.port),
    onMessage: message => process.stdout.write(messageLine(message) + '\n')
  })
  for (const ma of node.getMultiaddrs()) process.stdout.write(ma.toString() + '\n')
  process.stdout.write('ready\n')
  const { promise: stopped, resolve: stop } = Promise.withResolvers()
  const lines = createInterface({ input: process.stdin })
  lines.on('line', line => {
    const [command, ...rest] = line.split(' ')
    const argument = rest.join(' ')
    const done = command === 'connect'
      ? node.dial(multiaddr(argument))
      : command === 'pub'
        ? node.services.pubsub.publish(values.topic, new TextEncoder().encode(argument))
        : Promise.reject(new Error(`unknown command ${JSON.stringify(command)}`))
    done.catch(e => process.stderr.write(`gossip-peer.mjs: ${command}: ${e.message}\n`))
  })
  lines.on('close', () => stop('stdin closed'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  const lifetime = setTimeout(() => stop(`lifetime of ${lifetimeS} s reached`), lifetimeS * 1000)
  const reason = await stopped
  clearTimeout(lifetime)
  process.stderr.write(`gossip-peer.mjs listen: stopping (${reason})\n`)
  await node.stop()
}

async function main () {
  const { values, positionals } = parseArgs({
    options: {
      topic: { type: 'string' },
      key: { type: 'string' },
      port: { type: 'string', default: '0' },
      lifetime: { type: 'string', default: '120' }
    },
    allowPositionals: true,
    strict: true
  })
  const [command, address] = positionals
  if (values.topic == null) throw new Error('--topic is required')
  if (command === 'listen') return listen(values)
  if (command === 'forge' && address != null) {
    process.stdout.write(JSON.stringify({ type: 'forged', sent: await forge(address, values.topic) }) + '\n')
    return
  }
  throw new Error('usage: gossip-peer.mjs listen --topic T [--key S] [--port 0] [--lifetime S] | forge ADDR --topic T')
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), e => {
    process.stderr.write(`gossip-peer.mjs: ${e.message}\n`)
    process.exit(1)
  })
}
