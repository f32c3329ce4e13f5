// Test support: swarms on one shared in-memory network (the full upgrade
// path: multistream, Noise, Yamux; no sockets), all on one io_context, and
// the loop-driving helpers the many-host tests and benchmarks share.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/swarm/swarm.h"

namespace prowl::transport {
class MemoryNetwork;
}

namespace prowl::test_support {

/// Owns the loop and the network; the caller owns the swarms it makes.
/// REQUIRES: every swarm made here is destroyed before this object.
/// Not thread-safe: one thread drives it through run/run_until/run_for.
class MemorySwarms {
 public:
  MemorySwarms();
  /// Runs the handlers the destroyed swarms left on the loop.
  ~MemorySwarms();
  MemorySwarms(const MemorySwarms&) = delete;
  MemorySwarms& operator=(const MemorySwarms&) = delete;

  /// A swarm with `key` and `config` whose only transport is the in-memory
  /// network; it is not listening yet.
  std::unique_ptr<swarm::Swarm> make_swarm(const identity::KeyPair& key, const swarm::SwarmConfig& config = {});
  /// Makes `s` listen on `address`; returns the bound address ending in
  /// /p2p/<id>. Throws std::runtime_error when it cannot listen (10 s).
  multiaddr::Multiaddr listen(swarm::Swarm& s, std::string_view address = "/ip4/127.0.0.1/tcp/0");
  /// `from` dials `to_address` (where `to` listens) and waits for the
  /// connection. Throws std::runtime_error with the dial's failure, when it
  /// reaches another peer than `to`, or after 10 s.
  void connect(swarm::Swarm& from, const swarm::Swarm& to, const multiaddr::Multiaddr& to_address);
  /// Shuts `s` down and waits for it (10 s at most); its address then
  /// refuses dials.
  void shutdown(swarm::Swarm& s);

  /// Runs `task` on the loop to completion and returns its value; rethrows
  /// its failure; throws std::runtime_error after `timeout`.
  template <typename T>
  T run(boost::asio::awaitable<T> task, std::chrono::milliseconds timeout);
  /// Runs the loop until `done()` holds (true) or `timeout` passes (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  /// Runs the loop for `time`.
  void run_for(std::chrono::milliseconds time);

  boost::asio::io_context& io() { return io_; }
  /// The in-memory network, for swarms a test builds itself.
  const std::shared_ptr<transport::MemoryNetwork>& network() const { return network_; }

 private:
  boost::asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_;
};

template <typename T>
T MemorySwarms::run(boost::asio::awaitable<T> task, std::chrono::milliseconds timeout) {
  std::optional<T> result;  // T may lack a default constructor, so the task stores it
  std::exception_ptr error;
  bool done = false;
  auto wrapper = [&]() -> boost::asio::awaitable<void> { result.emplace(co_await std::move(task)); };
  boost::asio::co_spawn(io_, wrapper(), [&](std::exception_ptr e) {
    error = e;
    done = true;
  });
  if (!run_until([&] { return done; }, timeout)) throw std::runtime_error("in-memory network task timed out");
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace prowl::test_support
