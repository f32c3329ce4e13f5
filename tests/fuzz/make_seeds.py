#!/usr/bin/env python3
"""Writes the generated seeds of the protobuf fuzz targets.

    tests/fuzz/make_seeds.py [--peer-record-tool BUILD/host/tools/peer_record_tool]

Each seed is a text-format message that protoc encodes against the tree's own
.proto files, so the bytes are what a real peer would send and every nested
field (kad records and peers, pub/sub control with signed peer records in PX,
identify's signed record, every howl enum) is reached from the first run. A
seed lands in tests/fuzz/corpus/<target>/gen_<seed> and is replayed under
ctest like every other corpus file. With --peer-record-tool (built by the
default build) it also seals new signed peer records with many address kinds;
without it, the records embedded elsewhere come from the committed corpus.
Run it again after changing a .proto file; it rewrites only gen_* files.
"""
import argparse
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"

KAD = ("host/wire/kad/kad.proto", "prowl.kad.pb.Message")
RPC = ("host/wire/pubsub/rpc.proto", "prowl.pubsub.pb.RPC")
IDENTIFY = ("host/wire/identify/identify.proto", "prowl.protocols.pb.Identify")
HOWL = ("host/services/howl/howl.proto", "prowl.howl.pb.Howl")
ENVELOPE = ("host/base/peer_record/envelope.proto", "prowl.peer_record.pb.Envelope")


def protoc(proto, message, text=None, data=None):
    """Encodes text to bytes (or decodes data to text) with protoc."""
    path = ROOT / proto
    args = ["protoc", f"-I{path.parent}", f"--{'encode' if text is not None else 'decode'}={message}",
            path.name]
    out = subprocess.run(args, input=text.encode() if text is not None else data,
                         capture_output=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"protoc {message}: {out.stderr.decode().strip()}")
    return out.stdout


def esc(data):
    """Bytes as a text-format string literal."""
    return '"' + "".join(f"\\{b:03o}" for b in data) + '"'


def field(text, name):
    """The (escaped) value of a top-level string field in protoc's text output."""
    for line in text.splitlines():
        if line.startswith(name + ": "):
            return line[len(name) + 2:]
    raise SystemExit(f"no field {name} in:\n{text}")


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"gen_{name}").write_bytes(data)
    print(f"{target}/gen_{name}: {len(data)} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-record-tool", help="the built peer_record_tool, to seal new records")
    args = parser.parse_args()

    # A validly signed peer record from the corpus, and its signer.
    record = (CORPUS / "signed_peer_record" / "valid_two_addresses").read_bytes()
    envelope = protoc(*ENVELOPE, data=record).decode()
    key = field(envelope, "public_key")                  # escaped PublicKey protobuf
    peer = '"\\000$' + key[1:]                            # identity multihash of that key
    spr = esc(record)

    # Binary multiaddrs, the vectors of host/base/multiaddr/multiaddr_test.cc.
    a_tcp = esc(bytes.fromhex("047f000001060fa1"))                          # /ip4/127.0.0.1/tcp/4001
    a_ip6 = esc(bytes.fromhex("2900000000000000000000000000000001060050"))  # /ip6/::1/tcp/80
    a_ws = esc(bytes.fromhex("360b6578616d706c652e636f6d0601bbde03"))      # /dns4/example.com/tcp/443/wss
    a_quic = esc(bytes.fromhex("040102030491020fa1cd03"))                  # /ip4/1.2.3.4/udp/4001/quic-v1

    # Kademlia: every message type with its nested record and peers.
    kad = {
        "put_value_record": 'type: PUT_VALUE key: "/pk/k" clusterLevelRaw: 3 '
                            'record { key: "/pk/k" value: "v\\000\\377" timeReceived: "2026-01-01T00:00:00Z" }',
        "get_value_response": 'type: GET_VALUE key: "/pk/k" record { key: "/pk/k" value: "value" } '
                              f'closerPeers {{ id: {peer} addrs: {a_tcp} addrs: {a_ip6} connection: CONNECTED }}',
        "find_node_response": f'type: FIND_NODE key: {peer} '
                              f'closerPeers {{ id: {peer} addrs: {a_tcp} connection: CAN_CONNECT }} '
                              f'closerPeers {{ id: {peer} addrs: {a_ws} addrs: {a_quic} connection: CANNOT_CONNECT }} '
                              f'closerPeers {{ id: {peer} connection: NOT_CONNECTED }}',
        "add_provider": f'type: ADD_PROVIDER key: "cid" providerPeers {{ id: {peer} addrs: {a_tcp} addrs: {a_ws} }}',
        "get_providers_both": f'type: GET_PROVIDERS key: "cid" providerPeers {{ id: {peer} addrs: {a_tcp} }} '
                              f'closerPeers {{ id: {peer} addrs: {a_ip6} connection: CONNECTED }}',
    }
    for name, text in kad.items():
        write("kad_message", name, protoc(*KAD, text=text))

    # Pub/sub RPCs: every control kind, PX with a signed record, messages with keys.
    message = (f'from: {peer} data: "hello" seqno: "\\000\\000\\000\\000\\000\\000\\000\\002" '
               f'topic: "t" signature: "{"x" * 64}" key: {key}')
    control = ('ihave { topicID: "t" messageIDs: "m1" messageIDs: "m2" } '
               'iwant { messageIDs: "m1" messageIDs: "m3" } graft { topicID: "t" } graft { topicID: "v" } '
               f'prune {{ topicID: "t" peers {{ peerID: {peer} signedPeerRecord: {spr} }} backoff: 60 }} '
               'idontwant { messageIDs: "m1" }')
    rpcs = {
        "every_control": f"control {{ {control} }}",
        "prune_px_signed_record": f'control {{ prune {{ topicID: "v" peers {{ peerID: {peer} '
                                  f'signedPeerRecord: {spr} }} peers {{ peerID: {peer} }} backoff: 1 }} }}',
        "messages_and_subscriptions": 'subscriptions { subscribe: true topicid: "t" } '
                                      'subscriptions { subscribe: false topicid: "v" } '
                                      f'publish {{ {message} }} publish {{ {message} }} '
                                      'publish { data: "unsigned" topic: "v" }',
    }
    for name, text in rpcs.items():
        write("pubsub_rpc", name, protoc(*RPC, text=text))

    # The router conversation (host/wire/pubsub/pubsub_control_fuzz.cc): op, then
    # for an RPC step its length (2 bytes, little-endian) and body.
    def rpc_op(peer_index, body):
        return bytes([peer_index]) + len(body).to_bytes(2, "little") + body

    heartbeat = bytes([4 << 2])
    subscribe = protoc(*RPC, text='subscriptions { subscribe: true topicid: "t" } '
                                  'subscriptions { subscribe: true topicid: "v" }')
    graft = protoc(*RPC, text='control { graft { topicID: "t" } graft { topicID: "v" } }')
    every = protoc(*RPC, text=rpcs["every_control"])
    px = protoc(*RPC, text=rpcs["prune_px_signed_record"])
    write("pubsub_control", "graft_then_px_and_gossip",
          rpc_op(1, subscribe) + rpc_op(2, subscribe) + rpc_op(1, graft) + heartbeat +
          rpc_op(2, every) + heartbeat + rpc_op(1, px) + heartbeat + bytes([7 << 2 | 1]) + heartbeat)

    # Identify: every field, with a signed peer record whose key is the identify key.
    write("identify_message", "signed_record",
          protoc(*IDENTIFY, text=f'protocolVersion: "ipfs/0.1.0" agentVersion: "prowl/0.1.0" '
                                 f'publicKey: {key} listenAddrs: {a_tcp} listenAddrs: {a_ip6} '
                                 f'listenAddrs: {a_ws} listenAddrs: {a_quic} observedAddr: {a_ip6} '
                                 'protocols: "/ipfs/id/1.0.0" protocols: "/ipfs/id/push/1.0.0" '
                                 f'protocols: "/meshsub/1.1.0" signedPeerRecord: {spr}'))

    # Howls: the patterns and ranges the valid seeds leave out, at the bounds.
    howls = {
        "hunting_pack": f'sender: {peer} pattern: PATTERN_HUNTING range: RANGE_PACK group: "pack-1" '
                        'frequency: 0 payload: "prey" timestamp_ms: 1',
        "gathering_territory_max": f'sender: {peer} pattern: PATTERN_GATHERING range: RANGE_TERRITORY '
                                   f'group: "{"t" * 64}" frequency: 1000 timestamp_ms: 18446744073709551615',
        "warning_global": f'sender: {peer} pattern: PATTERN_WARNING range: RANGE_GLOBAL frequency: 500',
    }
    for name, text in howls.items():
        write("howl_message", name, protoc(*HOWL, text=text))

    # Signed peer records with every address kind, sealed by the real tool.
    if args.peer_record_tool:
        seed = "07" * 32
        for name, seq, addrs in [
            ("many_kinds", "18446744073709551615",
             ["/ip4/127.0.0.1/tcp/4001", "/ip6/::1/tcp/4001/ws", "/dns4/example.com/tcp/443/wss",
              "/ip4/127.0.0.1/udp/4001/quic-v1", "/dnsaddr/example.com", "/ip4/127.0.0.1/tcp/1/tls/ws"]),
            ("one_address_seq0", "0", ["/ip4/127.0.0.1/tcp/0"]),
        ]:
            command = [args.peer_record_tool, "seal", "--key", seed, "--seq", seq]
            for addr in addrs:
                command += ["--addr", addr]
            hex_text = subprocess.run(command, capture_output=True, check=True, text=True).stdout.strip()
            write("signed_peer_record", name, bytes.fromhex(hex_text))


if __name__ == "__main__":
    main()
