// Key material for the js peers: hex helpers and private key loading. Kept
// apart from node.mjs so key-only commands start without loading libp2p.
import { generateKeyPair, generateKeyPairFromSeed, privateKeyFromProtobuf } from '@libp2p/crypto/keys'

/** Parses a hex string into bytes; what names the value for errors. */
export function fromHex (hex, what) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new Error(`${what} must be an even-length hex string, got ${JSON.stringify(hex)}`)
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

export function toHex (bytes) {
  return Buffer.from(bytes).toString('hex')
}

/**
 * Returns the node's private key: an Ed25519 key from a 32-byte seed (hex),
 * a key from a libp2p PrivateKey protobuf (hex), or a fresh Ed25519 key.
 */
export async function loadPrivateKey ({ seedHex, protobufHex } = {}) {
  if (seedHex != null) {
    const seed = fromHex(seedHex, '--key')
    if (seed.byteLength !== 32) {
      throw new Error(`--key must be a 32-byte Ed25519 seed (64 hex digits), got ${seed.byteLength} bytes`)
    }
    return generateKeyPairFromSeed('Ed25519', seed)
  }
  if (protobufHex != null) {
    return privateKeyFromProtobuf(fromHex(protobufHex, '--private-key-protobuf'))
  }
  return generateKeyPair('Ed25519')
}
