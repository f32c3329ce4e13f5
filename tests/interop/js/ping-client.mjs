// Client side of /ipfs/ping/1.0.0 with sub-millisecond timing: the dialer
// writes 32 random bytes and the listener echoes them; one stream may carry
// any number of such round trips (libp2p specs, ping/ping.md).
import { StreamReader, sendWithBackpressure } from './stream-io.mjs'

export const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const PING_LENGTH = 32

/** Round-trips on one open ping stream. */
export class PingSession {
  constructor (stream) {
    this.stream = stream
    this.reader = new StreamReader(stream)
  }

  /** Sends one ping, checks the echo, returns the round-trip time in ms. */
  async roundTrip (signal) {
    const payload = crypto.getRandomValues(new Uint8Array(PING_LENGTH))
    const start = performance.now()
    await sendWithBackpressure(this.stream, payload, signal)
    const echo = await this.reader.readExactly(PING_LENGTH, 'ping echo')
    const rtt = performance.now() - start
    if (Buffer.compare(Buffer.from(payload), Buffer.from(echo)) !== 0) {
      throw new Error('ping echo differs from the payload sent')
    }
    return rtt
  }

  /** Closes the write side and checks the listener then closes its side without extra bytes. */
  async finish (signal) {
    await this.stream.close({ signal })
    await this.reader.expectEnd('the last ping echo')
  }
}

/** Returns the q-quantile (0..1) of the values by the nearest-rank method. */
export function quantile (values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(q * sorted.length))
  return sorted[rank - 1]
}

/** Summarises round-trip times in ms. */
export function summarise (rtts) {
  const round = (x) => Math.round(x * 1000) / 1000
  return {
    count: rtts.length,
    minMs: round(Math.min(...rtts)),
    p50Ms: round(quantile(rtts, 0.5)),
    p99Ms: round(quantile(rtts, 0.99)),
    maxMs: round(Math.max(...rtts))
  }
}
