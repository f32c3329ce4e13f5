// Small helpers over js-libp2p 3.x streams (event-based, async-iterable).

/** Returns the bytes of one chunk yielded by a stream (Uint8Array or Uint8ArrayList). */
export function chunkBytes (chunk) {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

/**
 * Reads exact byte counts from a stream. Throws a descriptive error when the
 * remote closes its write side before enough bytes arrived.
 */
export class StreamReader {
  constructor (stream) {
    this.iterator = stream[Symbol.asyncIterator]()
    this.pending = []
    this.pendingBytes = 0
  }

  /** Returns exactly n bytes; what names the value being read, for errors. */
  async readExactly (n, what) {
    while (this.pendingBytes < n) {
      const { value, done } = await this.iterator.next()
      if (done) {
        throw new Error(`stream ended after ${this.pendingBytes} of ${n} bytes of ${what}`)
      }
      const bytes = chunkBytes(value)
      this.pending.push(bytes)
      this.pendingBytes += bytes.byteLength
    }
    const out = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const head = this.pending[0]
      const take = Math.min(head.byteLength, n - filled)
      out.set(head.subarray(0, take), filled)
      filled += take
      if (take === head.byteLength) {
        this.pending.shift()
      } else {
        this.pending[0] = head.subarray(take)
      }
    }
    this.pendingBytes -= n
    return out
  }

  /** Resolves when the remote has closed its write side; throws if more bytes arrive. */
  async expectEnd (what) {
    if (this.pendingBytes > 0) {
      throw new Error(`${this.pendingBytes} unexpected trailing bytes after ${what}`)
    }
    const { value, done } = await this.iterator.next()
    if (!done) {
      throw new Error(`${chunkBytes(value).byteLength} unexpected trailing bytes after ${what}`)
    }
  }
}

/** Sends data, waiting for the stream to drain when its write buffer is full. */
export async function sendWithBackpressure (stream, data, signal) {
  if (!stream.send(data)) {
    await stream.onDrain({ signal })
  }
}
