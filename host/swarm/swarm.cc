#include "host/swarm/swarm.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>
#include <variant>

#include "host/base/log/log.h"
#include "host/wire/multistream/dialer.h"
#include "host/wire/multistream/listener.h"
#include "host/swarm/connection.h"
#include "host/swarm/deadline.h"
#include "host/swarm/negotiate.h"
#include "host/swarm/upgrader.h"
#include "host/swarm/yamux_stream.h"

namespace prowl::swarm {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

class Swarm::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, identity::KeyPair key, SwarmConfig config)
      : executor_(std::move(executor)),
        identity_(std::move(key)),
        local_(identity::PeerId::from_public_key(identity_.public_key())),
        config_(config),
        log_(log::get_logger("swarm")) {}

  void stop() noexcept {
    stopped_ = true;
    handlers_.clear();
    observers_.clear();
    for (auto& listener : listeners_) listener->close();
    listeners_.clear();
    listen_addresses_.clear();
    for (auto& connection : all_connections()) connection->close("swarm stopped");
  }

  transport::Transport* transport_for(const multiaddr::Multiaddr& address) const {
    for (const auto& t : transports_)
      if (t->handles(address)) return t.get();
    return nullptr;
  }

  // Maps are keyed by the multihash bytes as a string: comparing PeerIds
  // directly trips a GCC 12 -Wstringop-overread false positive.
  static std::string key_of(const identity::PeerId& peer) {
    return std::string(peer.bytes().begin(), peer.bytes().end());
  }

  std::vector<std::shared_ptr<Connection>> all_connections() const {
    std::vector<std::shared_ptr<Connection>> result;
    for (const auto& [peer, connection] : connections_) result.push_back(connection);
    return result;
  }

  std::shared_ptr<Connection> find_connection(const identity::PeerId& peer) const {
    const auto [begin, end] = connections_.equal_range(key_of(peer));
    for (auto it = begin; it != end; ++it)
      if (it->second->is_open()) return it->second;
    return nullptr;
  }

  std::vector<std::string> protocols() const {
    std::vector<std::string> result;
    for (const auto& [protocol, handler] : handlers_) result.push_back(protocol);
    return result;
  }

  asio::awaitable<multiaddr::Multiaddr> listen(multiaddr::Multiaddr address) {
    auto self = shared_from_this();  // the Swarm may go away while we run
    if (stopped_) throw std::runtime_error(address.to_string() + ": the swarm is shut down");
    transport::Transport* transport = transport_for(address);
    if (transport == nullptr) throw std::runtime_error(address.to_string() + ": no transport handles this address");
    std::shared_ptr<transport::Listener> listener = transport->listen(address.without_peer());
    std::string error;
    auto full = listener->address().with_peer(local_.bytes(), &error);
    if (!full) throw std::runtime_error(listener->address().to_string() + ": " + error);
    listeners_.push_back(listener);
    listen_addresses_.push_back(*full);
    asio::co_spawn(executor_, accept_loop(shared_from_this(), listener), asio::detached);
    co_return *full;
  }

  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self, std::shared_ptr<transport::Listener> listener) {
    asio::steady_timer pause(self->executor_);
    while (!self->stopped_) {
      std::unique_ptr<transport::ByteStream> raw;
      try {
        raw = co_await listener->accept();
      } catch (const std::exception& e) {
        if (self->stopped_ || std::find(self->listeners_.begin(), self->listeners_.end(), listener) ==
                                  self->listeners_.end())
          co_return;
        self->log_->warn("accept on {} failed: {}", listener->address().to_string(), e.what());
      }
      if (!raw) {
        pause.expires_after(std::chrono::milliseconds(100));  // e.g. out of descriptors: do not spin
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      const uint64_t handshake = self->admit_handshake(*raw);
      asio::co_spawn(self->executor_, inbound(self, std::move(raw), handshake), asio::detached);
    }
  }

  // The remote's network address (its IP, for TCP and WebSocket): the unit
  // of max_pending_handshakes_per_address.
  static std::string address_key(const multiaddr::Multiaddr& remote) {
    if (remote.empty()) return {};
    const auto host = multiaddr::Multiaddr::from_components({remote.components().front()});
    return host ? host->to_string() : std::string();
  }

  // Counts a new inbound handshake. When its address, or everyone, is at the
  // limit, the oldest pending handshake there is evicted (its socket closed)
  // instead of refusing the newcomer: sockets that stall cannot lock honest
  // peers out, and churning ones from one address evict only their own.
  uint64_t admit_handshake(transport::ByteStream& raw) {
    std::string address = address_key(raw.remote_address());
    const auto same = [&](const PendingHandshake& p) { return p.address == address; };
    auto victim = pending_.end();
    if (static_cast<size_t>(std::count_if(pending_.begin(), pending_.end(), same)) >=
        config_.max_pending_handshakes_per_address) {
      victim = std::find_if(pending_.begin(), pending_.end(), same);
    } else if (pending_.size() >= config_.max_pending_handshakes) {
      victim = pending_.begin();
    }
    if (victim != pending_.end()) {
      log_->debug("evicting the pending handshake from {} (the oldest; {} pending, {} from {}): limits "
                 "network.limits.max_pending_handshakes {} and max_pending_handshakes_per_address {}",
                 victim->raw->remote_address().to_string(), pending_.size(),
                 std::count_if(pending_.begin(), pending_.end(), same), address, config_.max_pending_handshakes,
                 config_.max_pending_handshakes_per_address);
      ++evicted_handshakes_;
      transport::ByteStream* evicted = victim->raw;
      pending_.erase(victim);
      evicted->close();  // its upgrade fails and ends the handshake
    }
    pending_.push_back(PendingHandshake{++handshake_ids_, std::move(address), &raw});
    return handshake_ids_;
  }

  void end_handshake(uint64_t id) {
    std::erase_if(pending_, [id](const PendingHandshake& p) { return p.id == id; });
  }

  // Runs the upgrade under the handshake timeout, which closes the raw stream.
  asio::awaitable<Upgraded> upgrade(transport::ByteStream& raw, std::optional<identity::PeerId> expected,
                                    bool outbound) {
    Deadline deadline(executor_, config_.handshake_timeout, [&raw] { raw.close(); });
    try {
      Upgrader upgrader(raw, identity_);
      // (No co_await inside ?: here: GCC 12 evaluates both arms.)
      if (outbound) co_return co_await upgrader.outbound(std::move(expected));
      co_return co_await upgrader.inbound();
    } catch (const std::exception& e) {
      if (deadline.expired())
        throw std::runtime_error("handshake timed out after " + std::to_string(config_.handshake_timeout.count()) +
                                 " ms");
      throw;
    }
  }

  static asio::awaitable<void> inbound(std::shared_ptr<Impl> self, std::unique_ptr<transport::ByteStream> raw,
                                       uint64_t handshake) {
    const std::string from = raw->remote_address().to_string();
    try {
      Upgraded upgraded = co_await self->upgrade(*raw, std::nullopt, /*outbound=*/false);
      self->end_handshake(handshake);
      if (self->stopped_) co_return;
      if (self->connections_.size() >= self->config_.max_connections) {
        const std::string reason = "connection limit of " + std::to_string(self->config_.max_connections) + " reached";
        self->log_->debug("refusing {} from {}: {}", upgraded.remote.to_string(), from, reason);
        // The session ends as it starts: a GoAway (normal: the peer did
        // nothing wrong) tells the peer why, then the socket closes.
        auto refused = std::make_shared<Connection>(self->executor_, std::move(raw), std::move(upgraded.channel),
                                                    std::vector<uint8_t>(), upgraded.remote, /*outbound=*/false,
                                                    self->connection_options());
        refused->start(nullptr, nullptr);
        refused->close_with_go_away(yamux::GoAwayCode::kNormal, reason);
        co_return;
      }
      self->add_connection(std::move(raw), std::move(upgraded), /*outbound=*/false);
    } catch (const std::exception& e) {
      self->end_handshake(handshake);
      self->log_->debug("inbound upgrade from {} failed: {}", from, e.what());
    }
  }

  Connection::Options connection_options() const {
    Connection::Options options;
    options.max_streams = config_.max_streams_per_connection;
    options.idle_timeout = config_.idle_timeout;
    options.max_window = config_.max_stream_window;
    options.max_session_window = config_.max_connection_window;
    options.max_ack_backlog = config_.max_ack_backlog;
    options.max_negotiating_streams = config_.max_negotiating_streams_per_connection;
    options.max_queued_control_bytes = config_.max_queued_control_bytes;
    return options;
  }

  std::shared_ptr<Connection> add_connection(std::unique_ptr<transport::ByteStream> raw, Upgraded upgraded,
                                             bool outbound) {
    const identity::PeerId peer = upgraded.remote;
    auto connection = std::make_shared<Connection>(executor_, std::move(raw), std::move(upgraded.channel),
                                                   std::move(upgraded.early_data), peer, outbound,
                                                   connection_options());
    std::weak_ptr<Impl> weak = weak_from_this();
    connection->start(
        [weak, c = std::weak_ptr<Connection>(connection)](std::shared_ptr<YamuxStream> stream) {
          auto self = weak.lock();
          auto owner = c.lock();
          if (!self || !owner || self->stopped_) return;
          asio::co_spawn(self->executor_, handle_inbound(self, owner, std::move(stream)), asio::detached);
        },
        [weak](Connection& closed, const std::string& reason) {
          if (auto self = weak.lock()) self->on_closed(closed, reason);
        });
    connections_.emplace(key_of(peer), connection);
    notify(*connection, true);
    settle_duplicates(peer);
    return connection;
  }

  // Simultaneous connections: both ends keep the connection dialled by the
  // lower peer id; when one side dialled several, that side keeps the oldest.
  void settle_duplicates(const identity::PeerId& peer) {
    std::vector<std::shared_ptr<Connection>> open;
    const auto [begin, end] = connections_.equal_range(key_of(peer));
    for (auto it = begin; it != end; ++it)
      if (it->second->is_open()) open.push_back(it->second);
    if (open.size() < 2) return;
    auto initiator = [&](const Connection& c) { return c.outbound() ? local_ : peer; };
    const identity::PeerId& lower = key_of(local_) < key_of(peer) ? local_ : peer;
    const bool lower_dialled =
        std::any_of(open.begin(), open.end(), [&](const auto& c) { return initiator(*c) == lower; });
    const identity::PeerId keep_from = lower_dialled ? lower : (lower == local_ ? peer : local_);
    bool kept = false;
    for (const auto& c : open) {
      if (initiator(*c) != keep_from) {
        close_in_background(c);
      } else if (kept && keep_from == local_) {
        close_in_background(c);  // our own duplicate dial; the remote leaves this to us
      } else {
        kept = true;
      }
    }
  }

  void close_in_background(const std::shared_ptr<Connection>& connection) {
    asio::co_spawn(executor_, connection->close_gracefully(), asio::detached);
  }

  void on_closed(Connection& closed, const std::string& reason) {
    const auto [begin, end] = connections_.equal_range(key_of(closed.remote_peer()));
    for (auto it = begin; it != end; ++it) {
      if (it->second.get() != &closed) continue;
      auto keep = it->second;
      connections_.erase(it);
      log_->debug("connection to {} closed: {}", closed.remote_peer().to_string(), reason);
      notify(closed, false);
      return;
    }
  }

  void notify(Connection& connection, bool established) {
    if (observers_.empty()) return;
    const ConnectionInfo info = info_of(connection);
    auto observers = observers_;  // an observer may add another
    for (const auto& observer : observers) observer(info, established);
  }

  static ConnectionInfo info_of(Connection& connection) {
    return ConnectionInfo{connection.remote_peer(),          connection.remote_address(),
                          connection.local_address(),        connection.outbound(),
                          connection.stream_count(),         connection.negotiating_count(),
                          connection.queued_bytes(),         connection.queued_control_bytes()};
  }

  asio::awaitable<identity::PeerId> dial(multiaddr::Multiaddr address) {
    using namespace asio::experimental::awaitable_operators;
    auto self = shared_from_this();
    if (stopped_) throw std::runtime_error(address.to_string() + ": the swarm is shut down");
    std::optional<identity::PeerId> expected;
    if (auto bytes = address.peer_id_bytes()) {
      std::string error;
      expected = identity::PeerId::from_bytes(*bytes, &error);
      if (!expected) throw std::runtime_error(address.to_string() + ": bad /p2p peer id: " + error);
      if (*expected == local_) throw std::runtime_error(address.to_string() + ": cannot dial ourselves");
      if (find_connection(*expected)) co_return *expected;
    }
    const std::string key = address.to_string();
    const auto now = Clock::now();
    if (auto it = backoff_.find(key); it != backoff_.end() && now < it->second.until) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(it->second.until - now);
      throw std::runtime_error(key + ": dial backoff after " + std::to_string(it->second.failures) +
                               " failed attempts; retry in " + std::to_string(left.count()) + " ms");
    }
    if (connections_.size() >= config_.max_connections)
      throw std::runtime_error(key + ": connection limit of " + std::to_string(config_.max_connections) +
                               " reached");
    transport::Transport* transport = transport_for(address);
    if (transport == nullptr) throw std::runtime_error(key + ": no transport handles this address");
    try {
      asio::steady_timer timer(executor_, config_.handshake_timeout);
      // `||` waits for the first success, so a failed connect must complete normally.
      auto raced = co_await (connect(*transport, address) || timer.async_wait(asio::use_awaitable));
      if (raced.index() == 1)
        throw std::runtime_error("connect timed out after " + std::to_string(config_.handshake_timeout.count()) +
                                 " ms");
      auto& [raw, failure] = std::get<0>(raced);
      if (failure) std::rethrow_exception(failure);
      Upgraded upgraded = co_await upgrade(*raw, expected, /*outbound=*/true);
      if (stopped_) throw std::runtime_error("the swarm is shut down");
      backoff_.erase(key);
      const identity::PeerId peer = upgraded.remote;
      add_connection(std::move(raw), std::move(upgraded), /*outbound=*/true);
      co_return peer;
    } catch (const std::exception& e) {
      Backoff& backoff = backoff_[key];
      backoff.delay = backoff.failures == 0 ? config_.dial_backoff_base
                                            : std::min(backoff.delay * 2, config_.dial_backoff_max);
      ++backoff.failures;
      backoff.until = Clock::now() + backoff.delay;
      const std::string what = e.what();
      throw std::runtime_error(what.starts_with(key) ? what : key + ": " + what);
    }
  }

  // The transport's dial, with a failure returned instead of thrown.
  static asio::awaitable<std::pair<std::unique_ptr<transport::ByteStream>, std::exception_ptr>> connect(
      transport::Transport& transport, const multiaddr::Multiaddr& address) {
    try {
      co_return std::make_pair(co_await transport.dial(address), std::exception_ptr());
    } catch (...) {
      co_return std::make_pair(std::unique_ptr<transport::ByteStream>(), std::current_exception());
    }
  }

  asio::awaitable<std::shared_ptr<Stream>> open_stream(identity::PeerId peer, std::vector<std::string> protocols) {
    auto self = shared_from_this();
    auto connection = find_connection(peer);
    if (!connection) throw StreamError("not connected to " + peer.to_string(), StatusCode::kUnreachable);
    std::shared_ptr<YamuxStream> stream = co_await connection->open_stream();
    multistream::Dialer dialer(protocols);
    Deadline deadline(executor_, config_.negotiation_timeout, [&stream] { stream->reset(); });
    try {
      co_await negotiate(*stream, dialer);
    } catch (const StreamError& e) {
      stream->reset();
      if (deadline.expired())
        throw StreamError("protocol negotiation with " + peer.to_string() + " timed out after " +
                              std::to_string(config_.negotiation_timeout.count()) + " ms",
                          StatusCode::kTimeout);
      throw StreamError(std::string(e.what()) + " (peer " + peer.to_string() + ")", e.status().code());
    }
    co_return stream;
  }

  static asio::awaitable<void> handle_inbound(std::shared_ptr<Impl> self, std::shared_ptr<Connection> connection,
                                              std::shared_ptr<YamuxStream> stream) {
    const size_t limit = self->config_.max_inbound_streams_per_protocol;
    multistream::Listener listener(
        [&](std::string_view protocol) {
          return self->handlers_.find(protocol) != self->handlers_.end() &&
                 connection->inbound_count(protocol) < limit;
        },
        self->protocols());
    {
      Deadline deadline(self->executor_, self->config_.negotiation_timeout, [&stream] { stream->reset(); });
      try {
        co_await negotiate(*stream, listener);
      } catch (const std::exception& e) {
        self->log_->debug("inbound stream from {}: {}", connection->remote_peer().to_string(), e.what());
        stream->reset();
        co_return;
      }
    }
    auto it = self->handlers_.find(stream->protocol());
    if (it == self->handlers_.end() || !connection->admit_inbound(*stream, limit)) {
      stream->reset();
      co_return;
    }
    StreamHandler handler = it->second;
    try {
      co_await handler(stream);
    } catch (const std::exception& e) {
      self->log_->debug("handler for {} failed: {}", stream->protocol(), e.what());
      stream->reset();
    }
  }

  asio::awaitable<void> shutdown() {
    auto self = shared_from_this();
    for (auto& listener : listeners_) listener->close();
    listeners_.clear();
    listen_addresses_.clear();
    for (auto& connection : all_connections()) co_await connection->close_gracefully();
  }

  struct Backoff {
    Clock::time_point until;
    std::chrono::milliseconds delay{0};
    unsigned failures = 0;
  };

  asio::any_io_executor executor_;
  identity::KeyPair identity_;
  identity::PeerId local_;
  SwarmConfig config_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<transport::Transport>> transports_;
  std::vector<std::shared_ptr<transport::Listener>> listeners_;
  std::vector<multiaddr::Multiaddr> listen_addresses_;
  std::map<std::string, StreamHandler, std::less<>> handlers_;
  std::vector<ConnectionObserver> observers_;
  std::multimap<std::string, std::shared_ptr<Connection>> connections_;  // by key_of(peer)
  std::map<std::string, Backoff> backoff_;
  struct PendingHandshake {
    uint64_t id;
    std::string address;         // address_key() of the remote
    transport::ByteStream* raw;  // owned by the inbound() coroutine while listed
  };
  std::vector<PendingHandshake> pending_;  // inbound upgrades in flight, oldest first
  uint64_t handshake_ids_ = 0;
  uint64_t evicted_handshakes_ = 0;
  bool stopped_ = false;
};

Swarm::Swarm(asio::any_io_executor executor, identity::KeyPair identity, SwarmConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(identity), config)) {}

Swarm::~Swarm() { impl_->stop(); }

void Swarm::add_transport(std::unique_ptr<transport::Transport> transport) {
  impl_->transports_.push_back(std::move(transport));
}

asio::awaitable<multiaddr::Multiaddr> Swarm::listen(const multiaddr::Multiaddr& address) {
  return impl_->listen(address);
}

void Swarm::set_handler(const std::string& protocol, StreamHandler handler) {
  impl_->handlers_[protocol] = std::move(handler);
}

std::vector<std::string> Swarm::protocols() const { return impl_->protocols(); }

asio::awaitable<identity::PeerId> Swarm::dial(const multiaddr::Multiaddr& address) {
  return impl_->dial(address);
}

asio::awaitable<std::shared_ptr<Stream>> Swarm::open_stream(const identity::PeerId& peer,
                                                            const std::vector<std::string>& protocols) {
  return impl_->open_stream(peer, protocols);
}

asio::awaitable<void> Swarm::shutdown() { return impl_->shutdown(); }

void Swarm::add_observer(ConnectionObserver observer) { impl_->observers_.push_back(std::move(observer)); }

const identity::PeerId& Swarm::local_peer() const noexcept { return impl_->local_; }

const identity::KeyPair& Swarm::identity() const noexcept { return impl_->identity_; }

std::vector<multiaddr::Multiaddr> Swarm::listen_addresses() const { return impl_->listen_addresses_; }

HandshakeStats Swarm::handshake_stats() const {
  return HandshakeStats{impl_->pending_.size(), impl_->evicted_handshakes_};
}

std::vector<ConnectionInfo> Swarm::connections() const {
  std::vector<ConnectionInfo> result;
  for (const auto& [peer, connection] : impl_->connections_)
    if (connection->is_open()) result.push_back(Impl::info_of(*connection));
  return result;
}

}  // namespace prowl::swarm
