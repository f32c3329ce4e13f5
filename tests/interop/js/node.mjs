// Builds the js-libp2p nodes used by the interop CLI and benchmarks:
// TCP and/or WebSocket, Noise, Yamux, identify, ping and perf.
import './polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { handlePerf } from './perf.mjs'

const LOOPBACK = new Set(['127.0.0.1', '::1'])

/** Returns the listen multiaddr for a transport on a loopback host. */
export function listenAddress (transport, host, port) {
  if (!LOOPBACK.has(host)) {
    throw new Error(`--host must be a loopback address (127.0.0.1 or ::1), got ${host}`)
  }
  const base = `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`
  if (transport === 'tcp') return base
  if (transport === 'ws') return `${base}/ws`
  throw new Error(`--transport must be tcp or ws, got ${transport}`)
}

// A perf exchange may move gigabytes; the server gives each one this long.
const PERF_SERVER_TIMEOUT_MS = 600000

/**
 * Creates and starts a node. listen: multiaddrs to listen on (empty for a
 * dialer). identifyOnConnect: run identify on every new connection. perf:
 * serve /perf/1.0.0. Both transports are always present so a dialer can
 * reach either kind.
 */
export async function createNode ({ privateKey, listen = [], identifyOnConnect = true, perf = false, timeoutMs = 30000 }) {
  const node = await createLibp2p({
    privateKey,
    addresses: { listen },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // js-libp2p drops a host's inbound connections beyond 5 per second by
    // default; tests and benchmarks dial far faster than that from loopback.
    connectionManager: { dialTimeout: timeoutMs, inboundConnectionThreshold: 10000, maxIncomingPendingConnections: 1000 },
    services: {
      identify: identify({ runOnConnectionOpen: identifyOnConnect, timeout: timeoutMs }),
      // js-libp2p allows one outbound ping stream per connection by default
      // and its connection monitor opens one every 10 s; a measuring ping
      // stream open at that moment would make one of the two fail, and a
      // failed monitor ping aborts the connection.
      ping: ping({ timeout: timeoutMs, maxOutboundStreams: 2 })
    }
  })
  if (perf) {
    await handlePerf(node, { timeoutMs: PERF_SERVER_TIMEOUT_MS })
  }
  return node
}
