#include "host/services/dht/dht_service.h"

#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "host/base/status/status.h"
#include "host/services/dht/key_text.h"
#include "host/wire/kad/address_book.h"
#include "host/wire/kad/database.h"
#include "host/wire/kad/handler.h"
#include "host/wire/kad/key.h"
#include "host/wire/kad/validator_set.h"
#include "host/base/log/log.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/swarm/message_io.h"
#include "host/swarm/swarm.h"

namespace prowl::dht {
namespace asio = boost::asio;
using identity::PeerId;
using kad::Message;
using kad::PeerInfo;

namespace {

kad::Time now() { return kad::Clock::now(); }

PeerInfo peer_info(const PeerId& id, std::vector<multiaddr::Multiaddr> addresses) {
  return PeerInfo{id, std::move(addresses), kad::ConnectionType::kNotConnected};
}

// Opens <data_dir>/kad.sqlite, or returns null for a memory-only service.
std::unique_ptr<kad::Database> open_database(const std::filesystem::path& data_dir) {
  if (data_dir.empty()) return nullptr;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error(data_dir.string() + ": cannot create the data directory: " + ec.message());
  std::string error;
  auto db = kad::Database::open(data_dir / "kad.sqlite", &error);
  if (!db) throw std::runtime_error(error);
  return db;
}

// Runs `fn` when the scope ends.
template <typename F>
class ScopeExit {
 public:
  explicit ScopeExit(F fn) : fn_(std::move(fn)) {}
  ~ScopeExit() { fn_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  F fn_;
};

}  // namespace

class DhtService::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, swarm::Swarm& swarm, protocols::PeerStore& peers,
       protocols::IdentifyService& identify, DhtConfig config)
      : executor_(std::move(executor)),
        swarm_(swarm),
        peers_(peers),
        identify_(identify),
        config_(std::move(config)),
        local_(swarm.local_peer()),
        database_(open_database(config_.data_dir)),
        table_(local_, config_.query.k),
        addresses_(database_.get()),
        records_(database_.get(), config_.records),
        providers_(database_.get(), config_.providers),
        validators_(kad::ValidatorSet::with_defaults()),
        handler_(table_, addresses_, records_, providers_, validators_, [this] { return self_info().addresses; }),
        maintenance_(executor_),
        log_(log::get_logger("dht")) {}

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    if (config_.server) {
      swarm_.set_handler(config_.protocol, [weak](std::shared_ptr<swarm::Stream> stream) {
        return serve(weak, std::move(stream));
      });
    }
    swarm_.add_observer([weak](const swarm::ConnectionInfo& info, bool established) {
      auto self = weak.lock();
      if (self && established && !self->stopped_) self->spawn(self->learn(self, info.peer));
    });
    for (const swarm::ConnectionInfo& info : swarm_.connections()) spawn(learn(shared_from_this(), info.peer));
    last_refresh_ = now();
    spawn(maintenance_loop(shared_from_this()));
    if (addresses_.size() > 0) spawn(bootstrap_in_background(shared_from_this()));
  }

  void stop() {
    stopped_ = true;
    maintenance_.cancel();
    for (Running* run : runs_) run->wake.cancel();
  }

  void add_addresses(const PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses) {
    std::vector<multiaddr::Multiaddr> plain;
    for (const auto& a : addresses) plain.push_back(a.without_peer());
    addresses_.add(peer, plain, now());
  }

  asio::awaitable<size_t> bootstrap() {
    auto result = co_await run_query(kad::Query::find_closest_peers(local_, local_.bytes(), config_.query));
    co_return result.responses;
  }

  asio::awaitable<void> refresh() {
    size_t depth = 0;
    for (size_t i = 0; i < 256; ++i) {
      if (!table_.bucket(i).empty()) depth = i + 1;
    }
    depth = std::min(depth, kad::kMaxRefreshPrefixBits);
    const kad::Key local_key = kad::Key::from_peer(local_);
    for (size_t bits = 0; bits <= depth && !stopped_; ++bits) {
      co_await run_query(kad::Query::find_closest_peers(
          local_, kad::random_key_sharing_prefix(local_key, bits), config_.query));
    }
    for (size_t i = 0; i < config_.random_walks && !stopped_; ++i) {
      std::vector<uint8_t> target(32);
      randombytes_buf(target.data(), target.size());
      co_await run_query(kad::Query::find_closest_peers(local_, std::move(target), config_.query));
    }
  }

  asio::awaitable<std::vector<PeerInfo>> closest_peers(std::vector<uint8_t> key) {
    const std::string text = key_text(key);
    auto result = co_await run_query(kad::Query::find_closest_peers(local_, std::move(key), config_.query));
    if (result.closest.empty())
      throw StatusError(failure_code(result), "closest peers of " + text + ": " + no_answer(result));
    co_return result.closest;
  }

  asio::awaitable<PeerInfo> find_peer(PeerId peer) {
    if (peer == local_) co_return self_info();
    auto result = co_await run_query(kad::Query::find_closest_peers(local_, peer.bytes(), config_.query));
    for (const PeerInfo& info : result.closest) {
      if (info.id == peer) co_return info;
    }
    throw StatusError(lookup_code(result), "peer " + peer.to_string() + " not found: " + summary(result));
  }

  asio::awaitable<size_t> put_value(std::vector<uint8_t> key, std::vector<uint8_t> value) {
    std::string error;
    if (!validators_.validate(key, value, &error))
      throw StatusError(StatusCode::kInvalidInput, "put " + key_text(key) + ": invalid record: " + error);
    if (!records_.put(key, value, local_, now(), &error))
      throw StatusError(StatusCode::kLimit, "put " + key_text(key) + ": " + error);
    own_records_[key] = OwnRecord{value, now()};
    auto result = co_await publish_record(key, value);
    if (result.stored == 0)
      throw StatusError(failure_code(result),
                        "put " + key_text(key) + ": no peer accepted the record (" + summary(result) + ")");
    co_return result.stored;
  }

  asio::awaitable<std::vector<uint8_t>> get_value(std::vector<uint8_t> key) {
    const std::string text = key_text(key);
    std::vector<std::vector<uint8_t>> values;
    if (auto local = records_.get(key, now())) values.push_back(std::move(local->value));
    auto result = co_await run_query(kad::Query::get_value(local_, key, validators_, config_.query));
    for (const kad::FoundRecord& found : result.records) values.push_back(found.value);
    if (values.empty())
      throw StatusError(lookup_code(result), "no value found for " + text + ": " + summary(result));
    co_return values.at(validators_.select(key, values));
  }

  asio::awaitable<size_t> provide(std::vector<uint8_t> key) {
    std::string error;
    if (!providers_.add(key, local_, now(), &error))
      throw StatusError(StatusCode::kLimit, "provide " + key_text(key) + ": " + error);
    providers_.start_providing(key, now());
    auto result = co_await announce(key);
    if (result.stored == 0)
      throw StatusError(failure_code(result),
                        "provide " + key_text(key) + ": no peer was told (" + summary(result) + ")");
    co_return result.stored;
  }

  asio::awaitable<std::vector<PeerInfo>> find_providers(std::vector<uint8_t> key, size_t max) {
    const std::string text = key_text(key);
    std::vector<PeerInfo> found;
    for (const PeerId& id : providers_.providers(key, now(), max)) {
      found.push_back(id == local_ ? self_info() : peer_info(id, addresses_.addresses(id)));
    }
    kad::QueryConfig config = config_.query;
    config.max_providers = max;
    auto result = co_await run_query(kad::Query::get_providers(local_, std::move(key), config));
    for (PeerInfo& info : result.providers) {
      if (found.size() >= max) break;
      auto same = [&](const PeerInfo& p) { return p.id == info.id; };
      if (std::none_of(found.begin(), found.end(), same)) found.push_back(std::move(info));
    }
    if (found.empty())
      throw StatusError(lookup_code(result), "no providers found for " + text + ": " + summary(result));
    co_return found;
  }

  asio::awaitable<kad::QueryResult> run_query(kad::Query query) {
    if (stopped_) throw StatusError(StatusCode::kClosed, "the DHT is stopped");
    if (runs_.size() >= config_.max_queries)
      throw StatusError(StatusCode::kLimit,
                        "too many DHT lookups in flight (limit " + std::to_string(config_.max_queries) + ")");
    auto self = shared_from_this();
    auto run = std::make_shared<Running>(std::move(query), executor_);
    runs_.insert(run.get());
    ScopeExit forget([&] { runs_.erase(run.get()); });
    ++stats_.queries;
    run->query.add_seeds(seeds(run->query.key()));
    for (;;) {
      run->reported = false;
      auto requests = run->query.poll(now());
      for (kad::QueryRequest& request : requests) {
        if (!request.expects_response) ++run->undelivered;
        spawn(send(self, run, std::move(request)));
      }
      if (run->query.finished() || stopped_) break;
      // co_spawn may run a request inline up to its first suspension, so one
      // that fails at once (dial backoff) reports before this driver sleeps and
      // its timer cancel is lost: poll again when anything reported meanwhile.
      if (run->reported) continue;
      const auto deadline = run->query.next_deadline();
      const auto wait = deadline ? std::max(kad::Clock::duration::zero(), *deadline - now())
                                 : kad::Clock::duration(std::chrono::seconds(1));
      run->wake.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait));
      boost::system::error_code ec;
      co_await run->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    // Requests without a response (ADD_PROVIDER) count as sent at once:
    // let them reach the wire before reporting, within one request timeout.
    const auto give_up = std::chrono::steady_clock::now() + config_.query.request_timeout;
    while (run->undelivered > 0 && !stopped_ && std::chrono::steady_clock::now() < give_up) {
      run->wake.expires_at(give_up);
      boost::system::error_code ec;
      co_await run->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    run->done = true;
    for (const auto& stream : run->streams) stream->reset();
    run->streams.clear();
    co_return run->query.result();
  }

  const kad::RoutingTable& routing_table() const { return table_; }
  const DhtStats& stats() const { return stats_; }
  const DhtConfig& config() const { return config_; }

 private:
  // One lookup in progress: its state machine, the timer its driver sleeps
  // on (cancelled by every answer), and the streams its requests use.
  struct Running {
    Running(kad::Query q, const asio::any_io_executor& executor) : query(std::move(q)), wake(executor) {}
    kad::Query query;
    asio::steady_timer wake;
    std::set<std::shared_ptr<swarm::Stream>> streams;
    size_t undelivered = 0;  // requests without a response still being sent
    bool reported = false;   // a request finished since the driver last polled
    bool done = false;
  };
  // A value we put, republished every record_republish_interval.
  struct OwnRecord {
    std::vector<uint8_t> value;
    kad::Time published;
  };

  template <typename Awaitable>
  void spawn(Awaitable task) {
    asio::co_spawn(executor_, std::move(task), [log = log_](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log->debug("background task failed: {}", ex.what());
      }
    });
  }

  PeerInfo self_info() const {
    PeerInfo info = peer_info(local_, {});
    for (const auto& a : swarm_.listen_addresses()) info.addresses.push_back(a.without_peer());
    return info;
  }

  /// Why a lookup that needed answers got none: it timed out, or no peer answered.
  static StatusCode failure_code(const kad::QueryResult& result) {
    if (result.status == kad::QueryResult::Status::kTimedOut) return StatusCode::kTimeout;
    return result.responses == 0 ? StatusCode::kUnreachable : StatusCode::kNotFound;
  }

  /// Why a lookup found nothing: as failure_code, but peers that answered
  /// without it mean it is not there.
  static StatusCode lookup_code(const kad::QueryResult& result) {
    if (result.responses > 0) return StatusCode::kNotFound;
    return failure_code(result);
  }

  static std::string summary(const kad::QueryResult& result) {
    std::string s = std::to_string(result.requests) + " requests, " + std::to_string(result.responses) +
                    " answered, " + std::to_string(result.failures) + " failed";
    if (result.status == kad::QueryResult::Status::kTimedOut) s += ", lookup timed out";
    return s;
  }
  static std::string no_answer(const kad::QueryResult& result) {
    if (result.requests == 0) return "no peers known to ask (join with --bootstrap, or enable mDNS)";
    return "no peer answered (" + summary(result) + ")";
  }

  // The routing table's closest peers to `key` with their addresses; while
  // the table is short of k peers, the most recently seen known peers too.
  std::vector<PeerInfo> seeds(const std::vector<uint8_t>& key) const {
    std::vector<PeerInfo> out;
    for (const kad::RoutingEntry& e : table_.closest(kad::Key::from_bytes(key), config_.query.k)) {
      out.push_back(peer_info(e.peer, addresses_.addresses(e.peer)));
    }
    if (table_.size() < config_.query.k) {
      for (const kad::KnownPeer& known : addresses_.most_recent(config_.restart_peers)) {
        if (!table_.contains(known.id)) out.push_back(peer_info(known.id, known.addresses));
      }
    }
    return out;
  }

  void observe(const PeerId& peer, kad::PeerMode mode) {
    const kad::ObserveResult result = table_.observe(peer, mode, now());
    if (result.ping) spawn(ping(shared_from_this(), *result.ping));
  }

  // Learns `peer`'s mode and listen addresses from identify, then observes it.
  static asio::awaitable<void> learn(std::shared_ptr<Impl> self, PeerId peer) {
    const auto [entry, inserted] = self->learning_.insert(peer);
    if (!inserted) co_return;
    ScopeExit done([&] { self->learning_.erase(entry); });
    std::optional<protocols::IdentifyRecord> record = self->peers_.find(peer);
    if (!record) {
      try {
        record = co_await self->identify_.identify(peer);
      } catch (const std::exception& e) {
        self->log_->debug("identify {} failed: {}", peer.to_string(), e.what());
      }
    }
    if (!record || self->stopped_) co_return;
    const auto& protocols = record->protocols;
    const bool server = std::find(protocols.begin(), protocols.end(), self->config_.protocol) != protocols.end();
    if (server) self->add_addresses(peer, record->listen_addrs);
    self->observe(peer, server ? kad::PeerMode::kServer : kad::PeerMode::kClient);
  }

  static asio::awaitable<void> ping(std::shared_ptr<Impl> self, PeerId peer) {
    bool alive = false;
    try {
      Message request;
      request.type = kad::MessageType::kPing;
      co_await self->request(peer_info(peer, self->addresses_.addresses(peer)), request, true, nullptr);
      alive = true;
    } catch (const std::exception& e) {
      self->log_->debug("ping {} failed: {}", peer.to_string(), e.what());
    }
    self->table_.on_ping_result(peer, alive, now());
  }

  // Serves one inbound stream: requests until the remote closes its side.
  static asio::awaitable<void> serve(std::weak_ptr<Impl> weak, std::shared_ptr<swarm::Stream> stream) {
    auto self = weak.lock();
    if (!self || self->stopped_) {
      stream->reset();
      co_return;
    }
    const PeerId from = stream->remote_peer();
    if (self->table_.contains(from)) {
      self->observe(from, kad::PeerMode::kServer);
    } else {
      self->spawn(learn(self, from));
    }
    for (;;) {
      auto bytes = co_await swarm::read_message(*stream, self->config_.max_message_bytes);
      if (!bytes) break;
      std::string error;
      auto decoded = kad::decode_message(*bytes, &error, self->config_.max_message_bytes);
      kad::HandlerResult result;
      if (!decoded) {
        result.error = "malformed request: " + error;
      } else if (self->stopped_) {
        result.error = "the DHT is stopped";
      } else {
        result = self->handler_.handle(from, decoded->message, now());
      }
      if (!result.error.empty()) {
        ++self->stats_.requests_refused;
        self->log_->debug("request from {} refused: {}", from.to_string(), result.error);
        stream->reset();
        co_return;
      }
      ++self->stats_.requests_served;
      if (result.response) co_await swarm::write_message(*stream, kad::encode_message(*result.response));
    }
    co_await stream->close_write();
  }

  // Connects to `peer` through its addresses unless already connected.
  asio::awaitable<void> connect(const PeerInfo& peer) {
    std::string failures;
    for (const auto& address : peer.addresses) {
      auto full = address.without_peer().with_peer(peer.id.bytes());
      if (!full) continue;
      try {
        co_await swarm_.dial(*full);
        co_return;
      } catch (const std::exception& e) {
        failures += failures.empty() ? e.what() : std::string("; ") + e.what();
      }
    }
    // No address worked (or none is known): an existing connection may still serve.
    for (const swarm::ConnectionInfo& info : swarm_.connections()) {
      if (info.peer == peer.id) co_return;
    }
    throw std::runtime_error("cannot reach " + peer.id.to_string() + ": " +
                             (failures.empty() ? std::string("no known address") : failures));
  }

  // Sends one request on a fresh stream; returns the response when one is expected.
  asio::awaitable<std::optional<Message>> request(const PeerInfo& peer, const Message& message, bool expects_response,
                                                  std::shared_ptr<Running> run) {
    ++stats_.requests_sent;
    co_await connect(peer);
    // (A named vector: GCC 12 cannot put an initializer_list inside co_await.)
    const std::vector<std::string> protocols(1, config_.protocol);
    auto stream = co_await swarm_.open_stream(peer.id, protocols);
    if (run) run->streams.insert(stream);
    ScopeExit forget([&] {
      if (run) run->streams.erase(stream);
    });
    co_await swarm::write_message(*stream, kad::encode_message(message));
    co_await stream->close_write();
    if (!expects_response) co_return std::nullopt;
    auto bytes = co_await swarm::read_message(*stream, config_.max_message_bytes);
    if (!bytes) throw std::runtime_error(peer.id.to_string() + " closed the stream without answering");
    std::string error;
    auto decoded = kad::decode_message(*bytes, &error, config_.max_message_bytes);
    if (!decoded) throw std::runtime_error("malformed response from " + peer.id.to_string() + ": " + error);
    co_return std::move(decoded->message);
  }

  // Sends one request of a lookup and reports its outcome to the lookup.
  static asio::awaitable<void> send(std::shared_ptr<Impl> self, std::shared_ptr<Running> run,
                                    kad::QueryRequest request) {
    std::optional<Message> response;
    bool ok = false;
    try {
      response = co_await self->request(request.peer, request.message, request.expects_response, run);
      ok = true;
    } catch (const std::exception& e) {
      self->log_->debug("request to {} failed: {}", request.peer.id.to_string(), e.what());
    }
    if (ok) {
      if (!request.peer.addresses.empty()) self->addresses_.add(request.peer.id, request.peer.addresses, now());
      self->observe(request.peer.id, kad::PeerMode::kServer);
    } else {
      self->table_.remove(request.peer.id);
    }
    if (!request.expects_response) {
      --run->undelivered;
      run->reported = true;
      run->wake.cancel();
      co_return;
    }
    if (run->done) co_return;
    if (ok) {
      run->query.on_response(request.id, *response, now());
    } else {
      run->query.on_failure(request.id, now());
    }
    run->reported = true;
    run->wake.cancel();
  }

  asio::awaitable<kad::QueryResult> publish_record(const std::vector<uint8_t>& key, const std::vector<uint8_t>& value) {
    kad::Record record{key, value, {}};
    co_return co_await run_query(kad::Query::put_value(local_, std::move(record), config_.query));
  }

  asio::awaitable<kad::QueryResult> announce(const std::vector<uint8_t>& key) {
    auto result = co_await run_query(kad::Query::add_provider(local_, key, self_info(), config_.query));
    if (result.stored > 0) providers_.mark_published(key, now());
    co_return result;
  }

  static asio::awaitable<void> bootstrap_in_background(std::shared_ptr<Impl> self) {
    const size_t answered = co_await self->bootstrap();
    self->log_->info("DHT bootstrap: {} peers answered, {} in the routing table", answered, self->table_.size());
  }

  // Expiry, provider and record republishing, refresh and random walks.
  static asio::awaitable<void> maintenance_loop(std::shared_ptr<Impl> self) {
    while (!self->stopped_) {
      self->maintenance_.expires_after(self->config_.maintenance_interval);
      boost::system::error_code ec;
      co_await self->maintenance_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (self->stopped_) break;
      const kad::Time t = now();
      const size_t expired = self->records_.expire(t) + self->providers_.expire(t);
      if (expired > 0) self->log_->debug("expired {} records", expired);
      for (auto& key : self->providers_.due_for_republish(t)) self->spawn(republish_provider(self, std::move(key)));
      for (auto& [key, own] : self->own_records_) {
        if (t - own.published < self->config_.record_republish_interval) continue;
        own.published = t;
        self->spawn(republish_record(self, key, own.value));
      }
      if (t - self->last_refresh_ >= self->config_.refresh_interval) {
        self->last_refresh_ = t;
        self->spawn(refresh_in_background(self));
      }
    }
  }

  static asio::awaitable<void> refresh_in_background(std::shared_ptr<Impl> self) { co_await self->refresh(); }

  static asio::awaitable<void> republish_provider(std::shared_ptr<Impl> self, std::vector<uint8_t> key) {
    auto result = co_await self->announce(key);
    self->log_->debug("republished provider record {} to {} peers", key_text(key), result.stored);
  }

  static asio::awaitable<void> republish_record(std::shared_ptr<Impl> self, std::vector<uint8_t> key,
                                                std::vector<uint8_t> value) {
    auto result = co_await self->publish_record(key, value);
    self->log_->debug("republished record {} to {} peers", key_text(key), result.stored);
  }

  asio::any_io_executor executor_;
  swarm::Swarm& swarm_;
  protocols::PeerStore& peers_;
  protocols::IdentifyService& identify_;
  DhtConfig config_;
  PeerId local_;
  std::unique_ptr<kad::Database> database_;
  kad::RoutingTable table_;
  kad::AddressBook addresses_;
  kad::RecordStore records_;
  kad::ProviderStore providers_;
  kad::ValidatorSet validators_;
  kad::Handler handler_;
  asio::steady_timer maintenance_;
  std::shared_ptr<spdlog::logger> log_;
  std::set<Running*> runs_;
  std::set<PeerId> learning_;
  std::map<std::vector<uint8_t>, OwnRecord> own_records_;
  kad::Time last_refresh_{};
  DhtStats stats_;
  bool stopped_ = false;
};

DhtService::DhtService(asio::any_io_executor executor, swarm::Swarm& swarm, protocols::PeerStore& peers,
                       protocols::IdentifyService& identify, DhtConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), swarm, peers, identify, std::move(config))) {}

DhtService::~DhtService() { impl_->stop(); }

void DhtService::start() { impl_->start(); }
void DhtService::stop() { impl_->stop(); }

void DhtService::add_addresses(const PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses) {
  impl_->add_addresses(peer, addresses);
}

asio::awaitable<size_t> DhtService::bootstrap() { return impl_->bootstrap(); }
asio::awaitable<void> DhtService::refresh() { return impl_->refresh(); }

asio::awaitable<std::vector<PeerInfo>> DhtService::closest_peers(std::vector<uint8_t> key) {
  return impl_->closest_peers(std::move(key));
}
asio::awaitable<PeerInfo> DhtService::find_peer(const PeerId& peer) { return impl_->find_peer(peer); }
asio::awaitable<size_t> DhtService::put_value(std::vector<uint8_t> key, std::vector<uint8_t> value) {
  return impl_->put_value(std::move(key), std::move(value));
}
asio::awaitable<std::vector<uint8_t>> DhtService::get_value(std::vector<uint8_t> key) {
  return impl_->get_value(std::move(key));
}
asio::awaitable<size_t> DhtService::provide(std::vector<uint8_t> key) { return impl_->provide(std::move(key)); }
asio::awaitable<std::vector<PeerInfo>> DhtService::find_providers(std::vector<uint8_t> key, size_t max) {
  return impl_->find_providers(std::move(key), max);
}
asio::awaitable<kad::QueryResult> DhtService::run_query(kad::Query query) {
  return impl_->run_query(std::move(query));
}

const kad::RoutingTable& DhtService::routing_table() const { return impl_->routing_table(); }
const DhtStats& DhtService::stats() const { return impl_->stats(); }
const DhtConfig& DhtService::config() const { return impl_->config(); }

}  // namespace prowl::dht
