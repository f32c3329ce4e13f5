// The libp2p perf protocol (/perf/1.0.0), both sides.
//
// Wire format (libp2p specs, perf/perf.md): the client opens a stream, writes
// the number of bytes it wants back as an unsigned 64-bit big-endian integer,
// then writes its upload bytes and closes its write side. The server reads the
// 8-byte header, discards the upload until end of stream, then writes the
// requested number of bytes and closes. The client reads until end of stream.
import { chunkBytes, sendWithBackpressure } from './stream-io.mjs'

export const PERF_PROTOCOL = '/perf/1.0.0'
const BLOCK_SIZE = 64 * 1024
const ZERO_BLOCK = new Uint8Array(BLOCK_SIZE)
const HEADER_LENGTH = 8

/** Writes `count` zero bytes to the stream in 64 KiB blocks; onProgress(bytes) after each. */
async function writeBytes (stream, count, signal, onProgress) {
  let remaining = count
  while (remaining > 0) {
    const size = Math.min(BLOCK_SIZE, remaining)
    await sendWithBackpressure(stream, size === BLOCK_SIZE ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, size), signal)
    remaining -= size
    onProgress?.(size)
  }
}

/** Reads the 8-byte header and drains the upload; returns the requested download size. */
async function readRequest (stream) {
  const header = new Uint8Array(HEADER_LENGTH)
  let headerFilled = 0
  for await (const chunk of stream) {
    const bytes = chunkBytes(chunk)
    if (headerFilled < HEADER_LENGTH) {
      const take = Math.min(HEADER_LENGTH - headerFilled, bytes.byteLength)
      header.set(bytes.subarray(0, take), headerFilled)
      headerFilled += take
    }
  }
  if (headerFilled < HEADER_LENGTH) {
    throw new Error(`perf request ended after ${headerFilled} of ${HEADER_LENGTH} header bytes`)
  }
  const requested = new DataView(header.buffer).getBigUint64(0, false)
  if (requested > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`perf request asks for ${requested} bytes, more than this peer can count`)
  }
  return Number(requested)
}

/** Registers the perf server handler on a started libp2p node. */
export async function handlePerf (node, { timeoutMs }) {
  await node.handle(PERF_PROTOCOL, async (stream) => {
    const signal = AbortSignal.timeout(timeoutMs)
    const onTimeout = () => stream.abort(new Error(`perf exchange exceeded ${timeoutMs} ms`))
    signal.addEventListener('abort', onTimeout, { once: true })
    try {
      const requested = await readRequest(stream)
      await writeBytes(stream, requested, signal)
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err)
    } finally {
      signal.removeEventListener('abort', onTimeout)
    }
  }, { maxInboundStreams: 1024 })
}

/**
 * Opens a /perf/1.0.0 stream to `target` (multiaddr or peer id).
 * maxOutboundStreams raises js-libp2p's per-protocol limit (default 64) for
 * callers that hold many perf streams open at once.
 */
export async function openPerfStream (node, target, { signal, maxOutboundStreams }) {
  return node.dialProtocol(target, PERF_PROTOCOL, { signal, maxOutboundStreams })
}

/**
 * Runs one perf exchange on an open perf stream. Calls report(result) with
 * objects shaped like the libp2p perf harness output:
 * {type: 'intermediary'|'final', timeSeconds, uploadBytes, downloadBytes};
 * intermediary reports cover the last interval (about one second), the final
 * one covers the whole exchange from `start` (a performance.now() value).
 */
export async function exchangePerf (stream, { uploadBytes, downloadBytes, signal, start = performance.now() }, report) {
  let lastReport = start
  let upSinceReport = 0
  let downSinceReport = 0
  const maybeReport = () => {
    const now = performance.now()
    if (now - lastReport >= 1000) {
      report({ type: 'intermediary', timeSeconds: (now - lastReport) / 1000, uploadBytes: upSinceReport, downloadBytes: downSinceReport })
      lastReport = now
      upSinceReport = 0
      downSinceReport = 0
    }
  }
  try {
    const header = new Uint8Array(HEADER_LENGTH)
    new DataView(header.buffer).setBigUint64(0, BigInt(downloadBytes), false)
    await sendWithBackpressure(stream, header, signal)
    await writeBytes(stream, uploadBytes, signal, (n) => { upSinceReport += n; maybeReport() })
    await stream.close({ signal })
    let received = 0
    for await (const chunk of stream) {
      const n = chunkBytes(chunk).byteLength
      received += n
      downSinceReport += n
      maybeReport()
      if (received > downloadBytes) {
        throw new Error(`perf server sent more than the ${downloadBytes} bytes requested`)
      }
    }
    if (received !== downloadBytes) {
      throw new Error(`perf server sent ${received} of the ${downloadBytes} bytes requested`)
    }
  } catch (err) {
    stream.abort(err)
    throw err
  }
  const result = { type: 'final', timeSeconds: (performance.now() - start) / 1000, uploadBytes, downloadBytes }
  report(result)
  return result
}

/** Opens a perf stream and runs one exchange on it; the final time includes the opening. */
export async function runPerf (node, target, options, report) {
  const start = performance.now()
  const stream = await openPerfStream(node, target, options)
  return exchangePerf(stream, { ...options, start }, report)
}
