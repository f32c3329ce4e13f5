#include "host/services/pubsub/pubsub_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <type_traits>
#include <utility>
#include <variant>

#include "host/base/encoding/varint.h"
#include "host/base/log/log.h"
#include "host/base/multiaddr/protocol.h"
#include "host/base/peer_record/signed_peer_record.h"
#include "host/services/pubsub/signature_checker.h"
#include "host/swarm/message_io.h"

namespace prowl::pubsub_service {
namespace asio = boost::asio;
using identity::PeerId;
using pubsub::Verdict;

namespace {

// One write carries at most this many bytes of queued RPCs (one body may exceed it).
constexpr size_t kMaxWriteBatch = 256 * 1024;

pubsub::RouterConfig router_config(const PubsubServiceConfig& config) {
  pubsub::RouterConfig router = config.router;
  router.offload_signature_checks = config.signature_check_threads > 0;
  return router;
}

asio::awaitable<Verdict> run_sync(const Validator& validator, const pubsub::Message& message) {
  co_return validator(message);
}

}  // namespace

class PubsubService::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, swarm::Swarm& swarm, PubsubServiceConfig config)
      : executor_(std::move(executor)),
        swarm_(swarm),
        config_(std::move(config)),
        router_(swarm.identity(), router_config(config_)),
        heartbeat_(executor_),
        log_(log::get_logger("pubsub")) {
    for (std::string_view id : pubsub::kProtocolIds) protocol_ids_.emplace_back(id);
  }

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    if (config_.signature_check_threads > 0) {
      checker_ = std::make_unique<SignatureChecker>(
          config_.signature_check_threads,
          [weak, executor = executor_](std::vector<SignatureChecker::Result> results) {
            deliver_checks(weak, executor, std::move(results));
          });
    }
    for (const std::string& id : protocol_ids_) {
      swarm_.set_handler(id, [weak](std::shared_ptr<swarm::Stream> stream) { return serve(weak, std::move(stream)); });
    }
    swarm_.add_observer([weak](const swarm::ConnectionInfo& info, bool established) {
      if (auto self = weak.lock()) self->on_connection(info, established);
    });
    for (const swarm::ConnectionInfo& info : swarm_.connections()) ensure_link(info.peer);
    asio::co_spawn(executor_, run_heartbeat(shared_from_this()), asio::detached);
  }

  void close() {
    closed_ = true;
    if (checker_) checker_->close();
    heartbeat_.cancel();
    auto links = std::move(links_);
    links_.clear();
    for (auto& [peer, link] : links) shut(*link);
  }

  SubscriptionId subscribe(const std::string& topic, MessageHandler handler) {
    const SubscriptionId id = next_subscription_++;
    auto& handlers = subscriptions_[topic];
    handlers.emplace(id, std::move(handler));
    subscription_topics_.emplace(id, topic);
    if (handlers.size() == 1) {
      router_.subscribe(topic);
      drain();
    }
    return id;
  }

  void unsubscribe(SubscriptionId id) {
    auto it = subscription_topics_.find(id);
    if (it == subscription_topics_.end()) return;
    const std::string topic = it->second;
    subscription_topics_.erase(it);
    auto& handlers = subscriptions_[topic];
    handlers.erase(id);
    if (handlers.empty()) {
      subscriptions_.erase(topic);
      router_.unsubscribe(topic);
      drain();
    }
  }

  std::optional<pubsub::MessageId> publish(const std::string& topic, std::span<const uint8_t> data,
                                           std::string* error) {
    auto id = router_.publish(topic, data, error);
    if (id) ++stats_.messages_published;
    drain();
    return id;
  }

  ValidatorId add_async_validator(const std::string& topic, AsyncValidator validator) {
    const ValidatorId id = next_validator_++;
    validators_[topic].emplace(id, std::move(validator));
    validator_topics_.emplace(id, topic);
    router_.set_validation(topic, true);
    return id;
  }

  void remove_validator(ValidatorId id) {
    auto it = validator_topics_.find(id);
    if (it == validator_topics_.end()) return;
    const std::string topic = it->second;
    validator_topics_.erase(it);
    auto& validators = validators_[topic];
    validators.erase(id);
    if (validators.empty()) {
      validators_.erase(topic);
      router_.set_validation(topic, false);
    }
  }

  size_t validators(const std::string& topic) const {
    auto it = validators_.find(topic);
    return it == validators_.end() ? 0 : it->second.size();
  }

  std::vector<PeerId> peers() const {
    std::vector<PeerId> out;
    for (const auto& [peer, link] : links_) {
      if (link->announced) out.push_back(peer);
    }
    return out;
  }

  void set_peer_record_lookup(pubsub::PeerRecordLookup lookup) {
    router_.set_peer_record_lookup(std::move(lookup));
  }

  const pubsub::Router& router() const { return router_; }
  const PubsubServiceStats& stats() const { return stats_; }

 private:
  // Our side of one peer: the queue and stream we write, the streams we read.
  struct Link {
    explicit Link(const asio::any_io_executor& executor) : wake(executor), retry(executor) {}
    bool outbound = false;  // we dialed the connection
    std::string ip;
    bool announced = false;  // the router knows the peer
    bool closed = false;
    std::deque<std::vector<uint8_t>> queue;
    asio::steady_timer wake;  // cancelled when the queue fills or the link closes
    asio::steady_timer retry;  // the backoff before reopening a failed stream; cancelled when the link closes
    std::shared_ptr<swarm::Stream> out;
    std::vector<std::shared_ptr<swarm::Stream>> inbound;
  };

  static void shut(Link& link) {
    link.closed = true;
    link.wake.cancel();
    link.retry.cancel();
    if (link.out) link.out->reset();
    for (const auto& stream : link.inbound) stream->reset();
  }

  void on_connection(const swarm::ConnectionInfo& info, bool established) {
    if (closed_) return;
    if (established) {
      ensure_link(info.peer);
      return;
    }
    const auto live = swarm_.connections();
    const bool still_connected =
        std::any_of(live.begin(), live.end(), [&](const swarm::ConnectionInfo& c) { return c.peer == info.peer; });
    if (still_connected) return;
    if (auto it = links_.find(info.peer); it != links_.end()) drop_link(info.peer, it->second);
  }

  // The peer's link, created (and its writer started) on first use.
  std::shared_ptr<Link> ensure_link(const PeerId& peer) {
    if (auto it = links_.find(peer); it != links_.end()) return it->second;
    auto link = std::make_shared<Link>(executor_);
    for (const swarm::ConnectionInfo& info : swarm_.connections()) {
      if (info.peer != peer) continue;
      link->outbound = info.outbound;
      if (auto endpoint = info.remote_address.tcp_endpoint();
          endpoint && (endpoint->host_protocol == multiaddr::kIp4 || endpoint->host_protocol == multiaddr::kIp6)) {
        link->ip = endpoint->host;
      }
      break;
    }
    links_.emplace(peer, link);
    asio::co_spawn(executor_, run_writer(shared_from_this(), peer, link), asio::detached);
    return link;
  }

  void announce(const PeerId& peer, Link& link, pubsub::Protocol protocol) {
    if (link.announced || link.closed) return;
    link.announced = true;
    router_.on_peer_connected(peer, link.outbound, protocol, link.ip);
    drain();
  }

  void drop_link(const PeerId& peer, const std::shared_ptr<Link>& link) {
    if (link->closed) return;
    shut(*link);
    if (auto it = links_.find(peer); it != links_.end() && it->second == link) links_.erase(it);
    if (link->announced && !closed_) {
      router_.on_peer_disconnected(peer);
      drain();
    }
  }

  void enqueue(const PeerId& peer, std::vector<uint8_t> body) {
    auto it = links_.find(peer);
    if (it == links_.end() || it->second->closed) return;  // the peer left; the router forgets it too
    Link& link = *it->second;
    if (link.queue.size() >= config_.max_queued_rpcs_per_peer) {
      ++stats_.rpcs_dropped_queue_full;
      return;
    }
    link.queue.push_back(std::move(body));
    link.wake.cancel();
  }

  void deliver(const pubsub::Message& message) {
    auto it = subscriptions_.find(message.topic);
    if (it == subscriptions_.end()) return;
    ++stats_.messages_delivered;
    std::vector<MessageHandler> handlers;  // a handler may unsubscribe
    for (const auto& [id, handler] : it->second) handlers.push_back(handler);
    for (const auto& handler : handlers) {
      try {
        handler(message);
      } catch (const std::exception& e) {
        log_->warn("pubsub subscriber of '{}' failed: {}", message.topic, e.what());
      }
    }
  }

  // Carries out the router's actions until it has none; re-entrant calls
  // (a subscriber publishing) leave the work to the outer loop.
  void drain() {
    if (draining_) return;
    draining_ = true;
    for (;;) {
      auto actions = router_.take_actions();
      if (actions.empty()) break;
      for (auto& action : actions) {
        std::visit(
            [&](auto& a) {
              using T = std::decay_t<decltype(a)>;
              if constexpr (std::is_same_v<T, pubsub::SendRpc>) {
                enqueue(a.peer, std::move(a.bytes));
              } else if constexpr (std::is_same_v<T, pubsub::DeliverMessage>) {
                deliver(a.message);
              } else if constexpr (std::is_same_v<T, pubsub::ValidateMessage>) {
                asio::co_spawn(executor_, validate(shared_from_this(), std::move(a.id), std::move(a.message)),
                               asio::detached);
              } else if constexpr (std::is_same_v<T, pubsub::CheckSignature>) {
                checker_->submit(std::move(a.id), std::move(a.message));
              } else {
                follow_px(std::move(a));
              }
            },
            action);
      }
    }
    draining_ = false;
  }

  // Runs on a checker thread: hands a batch of results back to the executor.
  static void deliver_checks(const std::weak_ptr<Impl>& weak, const asio::any_io_executor& executor,
                             std::vector<SignatureChecker::Result> results) {
    asio::post(executor, [weak, results = std::move(results)]() mutable {
      auto self = weak.lock();
      if (!self || self->closed_) return;
      for (auto& result : results) self->router_.report_signature(result.id, std::move(result.author));
      self->drain();
    });
  }

  bool connected(const PeerId& peer) const {
    const auto live = swarm_.connections();
    return std::any_of(live.begin(), live.end(), [&](const swarm::ConnectionInfo& c) { return c.peer == peer; });
  }

  // Peer exchange: dials a suggested peer at the addresses of its verified
  // signed peer record, within the PX dial and connection limits.
  void follow_px(pubsub::ConnectPeer suggestion) {
    std::string why = "no signed peer record";
    std::optional<peer_record::SignedPeerRecord> record;
    if (!suggestion.signed_peer_record.empty()) {
      record = peer_record::SignedPeerRecord::open(suggestion.signed_peer_record, &why);
      if (record && record->peer() != suggestion.peer) {
        why = "its signed peer record describes " + record->peer().to_string();
        record.reset();
      } else if (record && record->record().addresses().empty()) {
        why = "its signed peer record has no addresses";
        record.reset();
      }
    }
    if (!record) {
      ++stats_.px_skipped;
      log_->debug("pubsub PX suggestion {} not followed: {}", suggestion.peer.to_string(), why);
      return;
    }
    if (suggestion.peer == swarm_.local_peer() || connected(suggestion.peer) || px_dials_.contains(suggestion.peer) ||
        px_dials_.size() >= config_.max_px_dials || swarm_.connections().size() >= config_.px_connection_limit) {
      ++stats_.px_ignored;
      return;
    }
    px_dials_.insert(suggestion.peer);
    asio::co_spawn(executor_, dial_px(shared_from_this(), std::move(*record)), asio::detached);
  }

  static asio::awaitable<void> dial_px(std::shared_ptr<Impl> self, peer_record::SignedPeerRecord record) {
    bool dialed = false;
    for (const multiaddr::Multiaddr& address : record.record().addresses()) {
      auto target = address.with_peer(record.peer().bytes());
      if (self->closed_ || !target) continue;
      try {
        co_await self->swarm_.dial(*target);
        dialed = true;
        break;
      } catch (const std::exception& e) {
        self->log_->debug("pubsub PX dial of {} failed: {}", target->to_string(), e.what());
      }
    }
    if (auto it = self->px_dials_.find(record.peer()); it != self->px_dials_.end()) self->px_dials_.erase(it);
    if (!self->closed_) ++(dialed ? self->stats_.px_dialed : self->stats_.px_dial_failures);
  }

  static asio::awaitable<void> validate(std::shared_ptr<Impl> self, pubsub::MessageId id, pubsub::Message message) {
    Verdict verdict = Verdict::kAccept;
    std::vector<AsyncValidator> validators;  // a copy: validators may be added or removed meanwhile
    if (const auto it = self->validators_.find(message.topic); it != self->validators_.end()) {
      for (const auto& entry : it->second) validators.push_back(entry.second);
    }
    for (const AsyncValidator& validator : validators) {
      Verdict one = Verdict::kIgnore;
      try {
        one = co_await validator(message);
      } catch (const std::exception& e) {
        self->log_->debug("pubsub validator of '{}' failed: {}", message.topic, e.what());
      }
      if (one == Verdict::kReject) {
        verdict = one;
        break;
      }
      if (one == Verdict::kIgnore) verdict = one;
    }
    if (self->closed_) co_return;
    switch (verdict) {
      case Verdict::kAccept: ++self->stats_.validations_accepted; break;
      case Verdict::kReject: ++self->stats_.validations_rejected; break;
      case Verdict::kIgnore: ++self->stats_.validations_ignored; break;
    }
    self->router_.report_validation(id, verdict);
    self->drain();
  }

  static asio::awaitable<void> run_heartbeat(std::shared_ptr<Impl> self) {
    while (!self->closed_) {
      self->heartbeat_.expires_after(self->config_.router.heartbeat_interval);
      boost::system::error_code ec;
      co_await self->heartbeat_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (self->closed_) break;
      self->router_.heartbeat();
      self->drain();
    }
  }

  // Opens the peer's outbound stream and writes its queue until the link
  // closes; reopens a failed stream while the peer stays connected, at most
  // max_stream_reopens times over the link's life, with doubling backoff.
  static asio::awaitable<void> run_writer(std::shared_ptr<Impl> self, PeerId peer, std::shared_ptr<Link> link) {
    bool ever_opened = false;
    size_t failures = 0;  // streams that failed
    while (!link->closed) {
      try {
        auto stream = co_await self->swarm_.open_stream(peer, self->protocol_ids_);
        if (link->closed) {
          stream->reset();
          co_return;
        }
        link->out = stream;
        ever_opened = true;
        self->announce(peer, *link, *pubsub::parse_protocol(stream->protocol()));
        co_await self->write_queue(*link, *stream);
      } catch (const std::exception& e) {
        if (!link->closed) {
          ++(ever_opened ? self->stats_.stream_failures : self->stats_.peers_unsupported);
          self->log_->debug("pubsub stream to {} ended: {}", peer.to_string(), e.what());
        }
      }
      if (link->closed || !ever_opened || ++failures > self->config_.max_stream_reopens ||
          !self->connected(peer)) {
        break;
      }
      ++self->stats_.stream_reopens;
      link->retry.expires_after(self->config_.stream_reopen_backoff * (1 << (failures - 1)));
      boost::system::error_code ec;
      co_await link->retry.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    self->drop_link(peer, link);
  }

  // Writes the link's queue to `stream` until the link closes. Throws when the stream fails.
  asio::awaitable<void> write_queue(Link& link, swarm::Stream& stream) {
    std::vector<uint8_t> batch;
    while (!link.closed) {
      if (link.queue.empty()) {
        link.wake.expires_at(asio::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await link.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      batch.clear();
      uint64_t bodies = 0;
      while (!link.queue.empty() && batch.size() < kMaxWriteBatch) {
        const std::vector<uint8_t>& body = link.queue.front();
        encoding::append_varint(batch, body.size());
        batch.insert(batch.end(), body.begin(), body.end());
        link.queue.pop_front();
        ++bodies;
      }
      co_await stream.write(batch);
      stats_.rpcs_sent += bodies;
    }
  }

  static asio::awaitable<void> serve(std::weak_ptr<Impl> weak, std::shared_ptr<swarm::Stream> stream) {
    auto self = weak.lock();
    if (!self || self->closed_) {
      stream->reset();
      co_return;
    }
    co_await self->read_inbound(std::move(stream));
  }

  asio::awaitable<void> read_inbound(std::shared_ptr<swarm::Stream> stream) {
    const PeerId peer = stream->remote_peer();
    const auto protocol = pubsub::parse_protocol(stream->protocol());
    if (!protocol) {
      stream->reset();
      co_return;
    }
    ++stats_.inbound_streams;
    auto link = ensure_link(peer);
    link->inbound.push_back(stream);
    announce(peer, *link, *protocol);
    try {
      while (!link->closed) {
        auto body = co_await swarm::read_message(*stream, config_.router.rpc_limits.max_rpc_bytes);
        if (!body || link->closed) break;
        ++stats_.rpcs_received;
        router_.on_rpc(peer, *body);
        drain();
      }
    } catch (const std::exception& e) {
      if (!link->closed) {
        ++stats_.stream_failures;
        log_->debug("pubsub stream from {} failed: {}", peer.to_string(), e.what());
        stream->reset();
      }
    }
    std::erase(link->inbound, stream);
  }

  asio::any_io_executor executor_;
  swarm::Swarm& swarm_;
  PubsubServiceConfig config_;
  pubsub::Router router_;
  asio::steady_timer heartbeat_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::string> protocol_ids_;
  std::map<PeerId, std::shared_ptr<Link>> links_;
  std::map<std::string, std::map<SubscriptionId, MessageHandler>> subscriptions_;
  std::map<SubscriptionId, std::string> subscription_topics_;
  SubscriptionId next_subscription_ = 1;
  std::map<std::string, std::map<ValidatorId, AsyncValidator>> validators_;
  std::map<ValidatorId, std::string> validator_topics_;
  ValidatorId next_validator_ = 1;
  std::set<PeerId> px_dials_;  // peers a PX dial is in flight to
  PubsubServiceStats stats_;
  std::unique_ptr<SignatureChecker> checker_;  // null: signatures are checked inline
  bool closed_ = false;
  bool draining_ = false;
};

PubsubService::PubsubService(asio::any_io_executor executor, swarm::Swarm& swarm, PubsubServiceConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), swarm, std::move(config))) {
  impl_->start();
}

PubsubService::~PubsubService() { impl_->close(); }

SubscriptionId PubsubService::subscribe(const std::string& topic, MessageHandler handler) {
  return impl_->subscribe(topic, std::move(handler));
}

void PubsubService::unsubscribe(SubscriptionId id) { impl_->unsubscribe(id); }

std::optional<pubsub::MessageId> PubsubService::publish(const std::string& topic, std::span<const uint8_t> data,
                                                        std::string* error) {
  return impl_->publish(topic, data, error);
}

ValidatorId PubsubService::add_validator(const std::string& topic, Validator validator) {
  return impl_->add_async_validator(topic, [validator = std::move(validator)](const pubsub::Message& message) {
    return run_sync(validator, message);
  });
}

ValidatorId PubsubService::add_async_validator(const std::string& topic, AsyncValidator validator) {
  return impl_->add_async_validator(topic, std::move(validator));
}

void PubsubService::remove_validator(ValidatorId id) { impl_->remove_validator(id); }

size_t PubsubService::validators(const std::string& topic) const { return impl_->validators(topic); }

void PubsubService::set_peer_record_lookup(pubsub::PeerRecordLookup lookup) {
  impl_->set_peer_record_lookup(std::move(lookup));
}

std::vector<PeerId> PubsubService::peers() const { return impl_->peers(); }
const pubsub::Router& PubsubService::router() const { return impl_->router(); }
const PubsubServiceStats& PubsubService::stats() const { return impl_->stats(); }

}  // namespace prowl::pubsub_service
