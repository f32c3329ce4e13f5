// peer_record_tool: seals and opens signed peer records from the command
// line, mirroring tests/interop/js/peer-record.mjs so the interop test can
// cross-check prowl against js-libp2p byte for byte:
//   peer_record_tool seal --key SEED_HEX --seq N [--addr MULTIADDR]...
//     prints the envelope as hex
//   peer_record_tool open ENVELOPE_HEX
//     prints {"peerId","seq","addrs"} when the envelope verifies; exits 1
//     with the reason otherwise
#include <CLI/CLI.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/encoding/hex.h"
#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/base/peer_record/signed_peer_record.h"

namespace {

using namespace prowl;

void seal(const std::string& seed_hex, uint64_t seq, const std::vector<std::string>& texts) {
  const auto seed = encoding::hex_decode(seed_hex);
  if (!seed || seed->size() != 32) throw std::runtime_error("--key must be 64 hex digits (a 32-byte seed)");
  std::array<uint8_t, 32> fixed{};
  std::copy(seed->begin(), seed->end(), fixed.begin());
  std::vector<multiaddr::Multiaddr> addresses;
  for (const std::string& text : texts) {
    std::string why;
    auto address = multiaddr::Multiaddr::parse(text, &why);
    if (!address) throw std::runtime_error("--addr: " + why);
    addresses.push_back(std::move(*address));
  }
  const auto record = peer_record::SignedPeerRecord::seal(identity::KeyPair::from_seed(fixed), seq, addresses);
  std::cout << encoding::hex_encode(record.envelope()) << '\n';
}

void open(const std::string& hex) {
  const auto bytes = encoding::hex_decode(hex);
  if (!bytes) throw std::runtime_error("the envelope must be hex");
  std::string why;
  const auto record = peer_record::SignedPeerRecord::open(*bytes, &why);
  if (!record) throw std::runtime_error(why);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("peerId");
  w.String(record->peer().to_string().c_str());
  w.Key("seq");
  w.String(std::to_string(record->record().seq()).c_str());
  w.Key("addrs");
  w.StartArray();
  for (const auto& address : record->record().addresses()) w.String(address.to_string().c_str());
  w.EndArray();
  w.EndObject();
  std::cout << buffer.GetString() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seal and open libp2p signed peer records"};
  app.require_subcommand(1);
  std::string seed_hex;
  uint64_t seq = 0;
  std::vector<std::string> addrs;
  auto* seal_cmd = app.add_subcommand("seal", "print a signed peer record envelope as hex");
  seal_cmd->add_option("--key", seed_hex, "32-byte Ed25519 seed, hex")->required();
  seal_cmd->add_option("--seq", seq, "sequence number")->required();
  seal_cmd->add_option("--addr", addrs, "a listen address (repeatable)");
  std::string envelope_hex;
  auto* open_cmd = app.add_subcommand("open", "verify an envelope and print its record as JSON");
  open_cmd->add_option("envelope", envelope_hex, "the envelope, hex")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    if (*seal_cmd) seal(seed_hex, seq, addrs);
    if (*open_cmd) open(envelope_hex);
  } catch (const std::exception& e) {
    std::cerr << "peer_record_tool: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
