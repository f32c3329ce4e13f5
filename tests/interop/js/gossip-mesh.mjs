// Interop test: a mixed gossipsub mesh on one topic. Starts --prowl N
// `prowl run` hosts (PROWL_BIN; each `--listen /ip4/127.0.0.1/tcp/0
// --subscribe T --publish-stdin`, with its own --data directory) and --js M
// js-libp2p gossipsub hosts in this process; every js host dials every other
// host. Then every host publishes --per-host K messages; each must reach
// every other host exactly once. Finally a raw /meshsub/1.1.0 client sends a
// forged-signature and an unsigned message to one host of each kind; no host
// may deliver them. Prints a JSON summary; exits non-zero naming the failure.
//   node gossip-mesh.mjs [--prowl 3] [--js 3] [--per-host 3] [--timeout 60]
import './polyfill.mjs'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { createGossipHost, forge } from './gossip-peer.mjs'

const TOPIC = 'prowl-interop-mesh'
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

const { values } = parseArgs({
  options: {
    prowl: { type: 'string', default: '3' },
    js: { type: 'string', default: '3' },
    'per-host': { type: 'string', default: '3' },
    timeout: { type: 'string', default: '60' }
  },
  strict: true
})
const prowlCount = Number(values.prowl)
const jsCount = Number(values.js)
const perHost = Number(values['per-host'])
const deadline = Date.now() + Number(values.timeout) * 1000
if (prowlCount > 0 && !process.env.PROWL_BIN) throw new Error('PROWL_BIN must name the prowl executable')

// host name -> Map(data -> times received); and each host's peer id.
const received = new Map()
const peerIds = new Map()
function record (host, line) {
  const message = JSON.parse(line)
  if (message.topic !== TOPIC || message.from === peerIds.get(host)) return
  const inbox = received.get(host)
  inbox.set(message.data, (inbox.get(message.data) ?? 0) + 1)
}

async function waitFor (what, condition) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

const children = []
const dataDirs = []
const jsHosts = []
function cleanUp () {
  for (const child of children) child.kill('SIGTERM')
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
}
process.on('exit', cleanUp)

async function startProwl (index) {
  const name = `prowl${index}`
  const dataDir = mkdtempSync(join(tmpdir(), 'prowl-gossip-'))
  dataDirs.push(dataDir)
  const child = spawn(process.env.PROWL_BIN,
    ['--data', dataDir, 'run', '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns', '--subscribe', TOPIC, '--publish-stdin'],
    { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  received.set(name, new Map())
  const { promise: address, resolve, reject } = Promise.withResolvers()
  child.on('exit', code => reject(new Error(`${name} exited with ${code} before listening`)))
  createInterface({ input: child.stdout }).on('line', line => {
    if (line.startsWith('/')) {
      peerIds.set(name, line.split('/p2p/')[1])
      resolve(line)
    } else if (line.startsWith('{')) {
      record(name, line)
    }
  })
  return { name, address: await address, publish: text => child.stdin.write(text + '\n') }
}

async function startJs (index) {
  const name = `js${index}`
  received.set(name, new Map())
  const node = await createGossipHost({
    topic: TOPIC,
    onMessage: message => record(name, JSON.stringify({ topic: message.topic, from: message.from.toString(), data: new TextDecoder().decode(message.data) }))
  })
  peerIds.set(name, node.peerId.toString())
  jsHosts.push(node)
  return {
    name,
    node,
    address: node.getMultiaddrs()[0].toString(),
    publish: text => node.services.pubsub.publish(TOPIC, new TextEncoder().encode(text))
  }
}

async function main () {
  const hosts = []
  for (let i = 0; i < prowlCount; i++) hosts.push(await startProwl(i))
  for (let i = 0; i < jsCount; i++) hosts.push(await startJs(i))
  // Every js host dials every host after it (prowl hosts only listen).
  for (const [i, host] of hosts.entries()) {
    if (host.node == null) continue
    for (const other of hosts.slice(0, i)) await host.node.dial(multiaddr(other.address))
  }
  const others = hosts.length - 1
  await waitFor('every js host to see every other host subscribed', () =>
    jsHosts.every(node => node.services.pubsub.getSubscribers(TOPIC).length >= others))
  await sleep(3000) // a few heartbeats: meshes form

  const sent = []
  for (let k = 0; k < perHost; k++) {
    for (const host of hosts) {
      const text = `${host.name}-${k}`
      sent.push({ host: host.name, text })
      await host.publish(text)
    }
  }
  const complete = () => sent.every(({ host, text }) =>
    hosts.every(h => h.name === host || (received.get(h.name).get(text) ?? 0) >= 1))
  try {
    await waitFor('every message at every host', complete)
  } catch (e) {
    const missing = []
    for (const { host, text } of sent) {
      for (const h of hosts) if (h.name !== host && !received.get(h.name).has(text)) missing.push(`${text}@${h.name}`)
    }
    throw new Error(`${e.message}; missing: ${missing.slice(0, 20).join(' ')}`)
  }
  await sleep(1000) // duplicates would arrive now
  for (const [host, inbox] of received) {
    for (const [text, count] of inbox) {
      if (count !== 1) throw new Error(`${host} received ${JSON.stringify(text)} ${count} times`)
    }
  }

  // Forged and unsigned messages, sent to one host of each kind.
  const targets = [hosts.find(h => h.node == null), hosts.find(h => h.node != null)].filter(Boolean)
  for (const target of targets) await forge(target.address, TOPIC)
  await sleep(1500)
  for (const [host, inbox] of received) {
    for (const bad of ['forged', 'unsigned']) {
      if (inbox.has(bad)) throw new Error(`${host} delivered the ${bad} message`)
    }
  }
  console.log(JSON.stringify({
    type: 'gossip-mesh',
    prowlHosts: prowlCount,
    jsHosts: jsCount,
    messages: sent.length,
    deliveriesEach: others,
    forgedRejectedBy: targets.map(t => t.name)
  }))
}

main().then(async () => {
  for (const node of jsHosts) await node.stop()
  cleanUp()
  process.exit(0)
}, e => {
  process.stderr.write(`gossip-mesh.mjs: ${e.message}\n`)
  cleanUp()
  process.exit(1)
})
