// Many pubsub hosts in one process over loopback TCP with the real upgrade
// path (multistream, Noise XX, Yamux): each host is a Swarm plus a
// PubsubService living on one of several io_contexts, each run by its own
// thread, so the hosts share the machine's cores the way separate processes
// would. For the pubsub benchmark.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "host/base/multiaddr/multiaddr.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/swarm/swarm.h"

namespace prowl::bench {

/// Not thread-safe: one (main) thread calls it; a host's swarm and service
/// may only be touched on that host's executor (through on() or run()).
class TcpCluster {
 public:
  /// Picks the thread (0 .. threads-1) of host `i`.
  using Placement = std::function<size_t(size_t host)>;

  /// Starts `threads` event-loop threads and `hosts` hosts listening on
  /// 127.0.0.1, host i on thread place(i) (round robin when empty). Throws
  /// std::runtime_error when a host cannot listen.
  TcpCluster(size_t hosts, size_t threads, const pubsub_service::PubsubServiceConfig& config,
             const Placement& place = {});
  /// Destroys the services, shuts the swarms down and joins the threads.
  ~TcpCluster();
  TcpCluster(const TcpCluster&) = delete;
  TcpCluster& operator=(const TcpCluster&) = delete;

  size_t size() const { return hosts_.size(); }
  /// Host `i`'s executor.
  boost::asio::any_io_executor executor(size_t i) const { return loops_.at(hosts_.at(i).loop)->get_executor(); }
  /// Host `i`'s swarm and service; use them only on executor(i).
  swarm::Swarm& swarm(size_t i) { return *hosts_.at(i).swarm; }
  pubsub_service::PubsubService& service(size_t i) { return *hosts_.at(i).service; }
  /// Host `i`'s listen address, ending in /p2p/<id>.
  const multiaddr::Multiaddr& address(size_t i) const { return hosts_.at(i).address; }

  /// Runs `f` on host `i`'s executor and returns its result (or rethrows).
  template <typename F>
  auto on(size_t i, F f) -> decltype(f()) {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto result = task->get_future();
    boost::asio::post(executor(i), [task] { (*task)(); });
    return result.get();
  }

  /// Runs the coroutine `make()` returns on host `i`'s executor and returns
  /// its result; throws its failure, or std::runtime_error after `timeout`.
  template <typename T>
  T run(size_t i, std::function<boost::asio::awaitable<T>()> make, std::chrono::milliseconds timeout) {
    auto slot = std::make_shared<std::optional<T>>();  // T need not be default-constructible
    auto done = boost::asio::co_spawn(
        executor(i), [slot, make = std::move(make)]() -> boost::asio::awaitable<void> { slot->emplace(co_await make()); },
        boost::asio::use_future);
    if (done.wait_for(timeout) != std::future_status::ready)
      throw std::runtime_error("tcp cluster: a task on host " + std::to_string(i) + " timed out");
    done.get();
    return std::move(**slot);
  }

  /// Host `from` dials host `to`. Throws std::runtime_error on failure or after 10 s.
  void connect(size_t from, size_t to);

  /// Connects every host to `degree` random others chosen by `seed`, plus a
  /// ring, so the graph is connected.
  void connect_random(size_t degree, uint64_t seed);

 private:
  struct Host {
    size_t loop = 0;
    std::unique_ptr<swarm::Swarm> swarm;
    multiaddr::Multiaddr address;
    std::unique_ptr<pubsub_service::PubsubService> service;
  };
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<WorkGuard> guards_;
  std::vector<std::thread> threads_;
  std::vector<Host> hosts_;
};

}  // namespace prowl::bench
