// Fuzzes MdnsDiscovery with arbitrary datagrams, as multicast responses and
// queries and as legacy unicast queries, checking its bounds hold.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "host/base/identity/key_pair.h"
#include "host/wire/mdns/mdns_discovery.h"

namespace {

using prowl::mdns::MdnsDiscovery;

MdnsDiscovery make_discovery() {
  std::array<uint8_t, 32> seed{};
  seed[0] = 1;
  prowl::mdns::MdnsConfig config;
  config.max_peers = 4;
  config.max_addresses_per_peer = 3;
  MdnsDiscovery discovery(
      prowl::identity::PeerId::from_public_key(prowl::identity::KeyPair::from_seed(seed).public_key()),
      "fuzzer", config, MdnsDiscovery::Clock::time_point{});
  discovery.set_listen_addresses({prowl::multiaddr::Multiaddr::parse("/ip4/10.0.0.1/tcp/4001").value()});
  return discovery;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static MdnsDiscovery discovery = make_discovery();
  static MdnsDiscovery::Clock::time_point now{};
  now += std::chrono::seconds(1);
  const std::span<const uint8_t> datagram(data, size);
  for (uint16_t port : {prowl::mdns::kMdnsPort, uint16_t{40000}}) {
    auto output = discovery.handle_packet(datagram, port, now);
    for (const auto& found : output.discovered) {
      if (found.addresses.empty() || found.addresses.size() > 3) std::abort();
    }
    if (output.reply && output.reply->bytes.size() > prowl::mdns::kMaxMessageBytes) std::abort();
    if (discovery.known_peer_count() > 4) std::abort();
  }
  return 0;
}
