// mdns_node: a minimal node for the network-namespace tests. It runs mDNS
// discovery on one interface with a fresh identity, prints "self <peer id>"
// and then "peer <peer id> <address>..." for every discovery, and exits 0
// --linger-ms after it has found --expect distinct peers, still answering
// queries meanwhile (exit 1 if --timeout-ms passes first).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/services/mdns/mdns_service.h"
#include "host/wire/mdns/peer_name.h"

int main(int argc, char** argv) {
  using namespace prowl;
  CLI::App app{"mDNS discovery test node"};
  std::string interface_name;
  std::vector<std::string> listen;
  size_t expect = 1;
  int timeout_ms = 10000;
  int interval_ms = 10000;
  int linger_ms = 0;
  app.add_option("--mdns-interface", interface_name, "interface to run mDNS on")->required();
  app.add_option("--listen", listen, "address to announce (repeatable)")->required();
  app.add_option("--expect", expect, "exit 0 after this many distinct peers");
  app.add_option("--timeout-ms", timeout_ms, "give up (exit 1) after this long");
  app.add_option("--interval-ms", interval_ms, "steady-state query interval");
  app.add_option("--linger-ms", linger_ms, "keep answering this long after the last expected peer");
  CLI11_PARSE(app, argc, argv);

  std::vector<multiaddr::Multiaddr> addresses;
  for (const std::string& text : listen) {
    std::string error;
    auto address = multiaddr::Multiaddr::parse(text, &error);
    if (!address) {
      std::cerr << "--listen: " << error << "\n";
      return 2;
    }
    addresses.push_back(*address);
  }
  const identity::PeerId self =
      identity::PeerId::from_public_key(identity::KeyPair::generate().public_key());
  std::cout << "self " << self.to_string() << std::endl;

  boost::asio::io_context io;
  mdns::MdnsConfig config;
  config.query_interval = std::chrono::milliseconds(interval_ms);
  std::set<identity::PeerId> found;
  std::shared_ptr<mdns::MdnsService> service;
  boost::asio::steady_timer deadline(io, std::chrono::milliseconds(timeout_ms));
  auto on_peer = [&](const identity::PeerId& peer, std::vector<multiaddr::Multiaddr> addrs) {
    std::cout << "peer " << peer.to_string();
    for (const auto& a : addrs) std::cout << " " << a.to_string();
    std::cout << std::endl;
    if (found.insert(peer).second && found.size() == expect) deadline.expires_after(std::chrono::milliseconds(linger_ms));
  };
  try {
    service = mdns::MdnsService::create(
        io.get_executor(),
        mdns::MdnsDiscovery(self, mdns::random_peer_name(), config,
                            mdns::MdnsDiscovery::Clock::now()),
        mdns::MdnsSocketOptions{interface_name, true}, on_peer);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  service->set_listen_addresses(addresses);
  service->start();
  // Re-armed by on_peer; its cancellation then completes this wait with an
  // error, so wait again until the timer really expires.
  std::function<void(boost::system::error_code)> on_deadline = [&](boost::system::error_code ec) {
    if (ec) {
      deadline.async_wait(on_deadline);
    } else {
      io.stop();
    }
  };
  deadline.async_wait(on_deadline);
  io.run();
  // Let both loops see the closed socket and finish before the io_context goes.
  service->stop();
  io.restart();
  io.run();
  if (found.size() < expect) {
    std::cerr << "found " << found.size() << " of " << expect << " peers before the timeout\n";
    return 1;
  }
  return 0;
}
