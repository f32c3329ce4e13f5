// A js-libp2p mDNS peer for netns_js_interop_test.sh: runs @libp2p/mdns alone
// (no full node) announcing one address, prints "self <peer id>" and then
// "peer <peer id> <address>..." per discovery, and exits 0 --linger-ms after
// the first discovery (1 after the timeout). Run from a directory whose
// node_modules holds the tests/interop/js packages.
//   node netns_js_peer.mjs <listen multiaddr> <timeout ms> <linger ms>
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { mdns } from '@libp2p/mdns'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const [listen, timeoutMs, lingerMs] = process.argv.slice(2)
if (listen == null || timeoutMs == null || lingerMs == null) {
  console.error('usage: netns_js_peer.mjs <listen multiaddr> <timeout ms> <linger ms>')
  process.exit(2)
}
const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const announced = multiaddr(`${listen}/p2p/${id}`)
const discovery = mdns({ interval: 1000 })({
  logger: defaultLogger(),
  addressManager: { getAddresses: () => [announced] }
})
console.log(`self ${id}`)

let done = false
const finish = async (code) => {
  await discovery.stop()
  process.exit(code)
}
discovery.addEventListener('peer', (event) => {
  const { id: peer, multiaddrs } = event.detail
  console.log(`peer ${peer} ${multiaddrs.map(String).join(' ')}`)
  if (!done) {
    done = true
    setTimeout(() => { finish(0) }, Number(lingerMs))
  }
})
setTimeout(() => {
  if (!done) {
    console.error('no peer discovered before the timeout')
    finish(1)
  }
}, Number(timeoutMs))
await discovery.start()
