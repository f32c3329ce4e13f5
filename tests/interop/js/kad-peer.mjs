// kad-peer.mjs: a js-libp2p node running @libp2p/kad-dht in server mode,
// driven through stdin -- the js side of ../kad_interop_test.sh, mirroring
// prowl's dht_node (host/tools/dht_node.cc): it prints its listen address,
// then `ready`, then answers one command per stdin line with one JSON line:
//   put KEY VALUEHEX       {"key","stored"}       (PUT_VALUE responses)
//   get KEY                {"key","valueHex"}
//   provide KEY            {"key","told"}
//   find-providers KEY     {"key","providers":[{"peerId","addrs"}]}
//   find-peer PEERID       {"peerId","addrs"}
//   closest KEY            {"key","peers":[{"peerId","addrs"}]}
//   table                  {"size","peers"}
// KEY is "/pk/<peer id>" (the id's multihash after "/pk/"), "0x<hex>" (raw
// bytes; provide/find-providers read them as a multihash and use the raw
// CIDv1 of it), or other text taken as UTF-8. A failure prints {"error"}.
// Flags: --key SEED_HEX, --port N, --protocol ID (default /ipfs/kad/1.0.0),
// --bootstrap MULTIADDR (dialed once at start).
import './polyfill.mjs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, MessageType, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { fromHex, loadPrivateKey, toHex } from './keys.mjs'

const RAW_CODEC = 0x55
const QUERY_TIMEOUT_MS = 20000

const { values: flags } = parseArgs({
  options: {
    key: { type: 'string' },
    port: { type: 'string', default: '0' },
    protocol: { type: 'string', default: '/ipfs/kad/1.0.0' },
    bootstrap: { type: 'string', multiple: true, default: [] }
  }
})

function parseKey (text) {
  if (text == null || text === '') throw new Error('missing KEY')
  if (text.startsWith('/pk/')) {
    const id = peerIdFromString(text.slice(4))
    const mh = id.toMultihash().bytes
    const out = new Uint8Array(4 + mh.byteLength)
    out.set(new TextEncoder().encode('/pk/'))
    out.set(mh, 4)
    return out
  }
  if (text.startsWith('0x')) return fromHex(text.slice(2), 'KEY')
  return new TextEncoder().encode(text)
}

const cidOf = (keyBytes) => CID.createV1(RAW_CODEC, Digest.decode(keyBytes))
const peerJson = (peer) => ({ peerId: peer.id.toString(), addrs: (peer.multiaddrs ?? []).map((a) => a.toString()) })
const signal = () => AbortSignal.timeout(QUERY_TIMEOUT_MS)

async function run (node, dht, op, args) {
  if (op === 'table') {
    const peers = []
    for (const bucketPeer of dht.routingTable.kb?.toIterable?.() ?? []) peers.push(bucketPeer.peerId.toString())
    return { size: dht.routingTable.size, peers }
  }
  if (op === 'find-peer') {
    const id = peerIdFromString(args[0])
    for await (const event of dht.findPeer(id, { signal: signal() })) {
      if (event.name === 'FINAL_PEER' && event.peer.id.equals(id)) return peerJson(event.peer)
    }
    throw new Error(`peer ${args[0]} not found`)
  }
  const key = parseKey(args[0])
  if (op === 'put') {
    let stored = 0
    for await (const event of dht.put(key, fromHex(args[1] ?? '', 'VALUEHEX'), { signal: signal() })) {
      if (event.name === 'PEER_RESPONSE' && event.messageName === MessageType.PUT_VALUE) stored++
    }
    return { key: args[0], stored }
  }
  if (op === 'get') {
    for await (const event of dht.get(key, { signal: signal() })) {
      if (event.name === 'VALUE') return { key: args[0], valueHex: toHex(event.value) }
    }
    throw new Error(`no value found for ${args[0]}`)
  }
  if (op === 'provide') {
    let told = 0
    for await (const event of dht.provide(cidOf(key), { signal: signal() })) {
      if (event.name === 'PEER_RESPONSE' && event.messageName === MessageType.ADD_PROVIDER) told++
    }
    return { key: args[0], told }
  }
  if (op === 'find-providers') {
    const providers = new Map()
    for await (const event of dht.findProviders(cidOf(key), { signal: signal() })) {
      if (event.name === 'PROVIDER') {
        for (const p of event.providers) providers.set(p.id.toString(), peerJson(p))
      }
    }
    if (providers.size === 0) throw new Error(`no providers found for ${args[0]}`)
    return { key: args[0], providers: [...providers.values()] }
  }
  if (op === 'closest') {
    const peers = []
    for await (const event of dht.getClosestPeers(key, { signal: signal() })) {
      if (event.name === 'FINAL_PEER') peers.push(peerJson(event.peer))
    }
    return { key: args[0], peers }
  }
  throw new Error(`unknown command ${op}`)
}

const node = await createLibp2p({
  privateKey: await loadPrivateKey({ seedHex: flags.key }),
  addresses: { listen: [`/ip4/127.0.0.1/tcp/${flags.port}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { inboundConnectionThreshold: 10000 },
  services: {
    identify: identify(),
    ping: ping(),
    // Server mode on loopback: keep 127.0.0.1 addresses (the default mapper
    // drops private ones) and answer queries with a routing table of one.
    dht: kadDHT({
      protocol: flags.protocol,
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true
    })
  }
})
const dht = node.services.dht
for (const text of flags.bootstrap) {
  await node.dial(multiaddr(text))
}
for (const address of node.getMultiaddrs()) console.log(address.toString())
console.log('ready')

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [op, ...args] = line.trim().split(/\s+/)
  if (!op) continue
  try {
    console.log(JSON.stringify(await run(node, dht, op, args)))
  } catch (err) {
    console.log(JSON.stringify({ error: err.message }))
  }
}
await node.stop()
