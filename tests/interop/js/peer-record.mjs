// Signed peer records (libp2p RFC 0002 envelopes around RFC 0003 records) as
// js-libp2p makes and checks them, for prowl's cross-checks:
//   node peer-record.mjs seal --key SEED_HEX --seq N [--addr MULTIADDR]...
//     prints the envelope as hex
//   node peer-record.mjs open ENVELOPE_HEX
//     prints {"peerId","seq","addrs"} when the envelope verifies; exits 1 with
//     the reason otherwise
import { parseArgs } from 'node:util'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { peerIdFromPrivateKey, peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { fromHex, loadPrivateKey, toHex } from './keys.mjs'

async function seal (values) {
  if (values.key == null || values.seq == null) throw new Error('seal needs --key SEED_HEX and --seq N')
  const privateKey = await loadPrivateKey({ seedHex: values.key })
  const record = new PeerRecord({
    peerId: peerIdFromPrivateKey(privateKey),
    seqNumber: BigInt(values.seq),
    multiaddrs: (values.addr ?? []).map((a) => multiaddr(a))
  })
  const envelope = await RecordEnvelope.seal(record, privateKey)
  console.log(toHex(envelope.marshal()))
}

async function open (hex) {
  if (hex == null) throw new Error('open needs ENVELOPE_HEX')
  const envelope = await RecordEnvelope.openAndCertify(fromHex(hex, 'envelope'), PeerRecord.DOMAIN)
  const record = PeerRecord.createFromProtobuf(envelope.payload)
  const signer = peerIdFromPublicKey(envelope.publicKey)
  if (!record.peerId.equals(signer)) {
    throw new Error(`signed by ${signer.toString()} but describes ${record.peerId.toString()}`)
  }
  console.log(JSON.stringify({
    peerId: record.peerId.toString(),
    seq: record.seqNumber.toString(),
    addrs: record.multiaddrs.map((a) => a.toString())
  }))
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string' },
    seq: { type: 'string' },
    addr: { type: 'string', multiple: true }
  }
})
try {
  if (positionals[0] === 'seal') await seal(values)
  else if (positionals[0] === 'open') await open(positionals[1])
  else throw new Error(`unknown command '${positionals[0] ?? ''}' (seal or open)`)
} catch (e) {
  console.error(`peer-record: ${e.message}`)
  process.exit(1)
}
