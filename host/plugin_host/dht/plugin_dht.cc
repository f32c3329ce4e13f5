#include "host/plugin_host/dht/plugin_dht.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "host/base/status/status.h"
#include "host/plugin_host/internal/call_guard.h"
#include "host/services/dht/dht_service.h"
#include "host/services/dht/prowl_record.h"
#include "host/wire/kad/constants.h"

namespace prowl::plugin_dht {
namespace asio = boost::asio;
using plugins::call_plugin;
using plugins::CallResult;
using plugins::DhtCompletion;
using plugins::failure;
using plugins::PluginContext;
using plugins::RegistrationKind;

namespace {

/// What a finished call hands its plugin.
struct Outcome {
  int32_t status = PROWL_OK;
  std::string message;
  std::vector<uint8_t> value;
  uint64_t count = 0;
  std::vector<kad::PeerInfo> peers;
};

/// One DHT call, run on the executor: returns its outcome or throws.
using Operation = std::function<asio::awaitable<Outcome>(dht::DhtService&)>;

}  // namespace

class PluginDht::Impl : public std::enable_shared_from_this<Impl> {
 public:
  struct Pending {
    PluginContext* ctx = nullptr;
    DhtCompletion done;
  };

  Impl(asio::any_io_executor executor, dht::DhtService& dht, identity::KeyPair key, PluginDhtConfig config)
      : executor_(std::move(executor)), dht_(dht), key_(std::move(key)),
        local_(identity::PeerId::from_public_key(key_.public_key())), config_(config) {}

  static CallResult check_key(const char* what, std::span<const uint8_t> key) {
    if (key.empty() || key.size() > kad::kMaxKeyBytes)
      return failure(PROWL_ERR_INVALID_INPUT, std::string(what) + ": a key has 1 to " +
                                                  std::to_string(kad::kMaxKeyBytes) + " bytes, not " +
                                                  std::to_string(key.size()));
    return {};
  }

  /// Registers the call in the plugin's context and starts `op` on the executor.
  CallResult start(const char* what, PluginContext& ctx, DhtCompletion done, Operation op) {
    uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      auto registered = ctx.registrations().add_for(RegistrationKind::kDhtCall, config_.max_calls_per_plugin,
                                                    weak_from_this(), &Impl::drop);
      if (!registered)
        return failure(PROWL_ERR_LIMIT, std::string(what) + ": plugin '" + ctx.name() + "' has " +
                                            std::to_string(config_.max_calls_per_plugin) + " DHT calls running");
      id = *registered;
      pending_.emplace(id, Pending{&ctx, done});
    }
    asio::post(executor_, [self = shared_from_this(), id, op = std::move(op)]() mutable {
      asio::co_spawn(self->executor_, run(self, id, std::move(op)), asio::detached);
    });
    return {};
  }

  static asio::awaitable<void> run(std::shared_ptr<Impl> self, uint64_t id, Operation op) {
    Outcome outcome;
    try {
      {
        std::lock_guard lock(self->mutex_);
        if (!self->pending_.contains(id)) co_return;  // released before it ran
      }
      outcome = co_await op(self->dht_);
    } catch (const StatusError& e) {
      outcome = Outcome{};
      outcome.status = static_cast<int32_t>(e.status().code());
      outcome.message = e.status().message();
    } catch (const std::exception& e) {
      outcome = Outcome{};
      outcome.status = PROWL_ERR_INTERNAL;
      outcome.message = e.what();
    }
    self->complete(id, outcome);
  }

  /// Hands the outcome to the plugin unless it was released. On the executor.
  void complete(uint64_t id, const Outcome& outcome) {
    Pending pending;
    {
      std::lock_guard lock(mutex_);
      auto it = pending_.find(id);
      if (it == pending_.end()) return;
      pending = it->second;
      pending_.erase(it);
      pending.ctx->registrations().remove(id);
    }
    // The C view: texts and arrays that live through the callback.
    std::vector<std::string> ids;
    std::vector<std::vector<std::string>> addr_texts;
    std::vector<std::vector<const char*>> addr_ptrs;
    for (const kad::PeerInfo& peer : outcome.peers) {
      ids.push_back(peer.id.to_string());
      auto& texts = addr_texts.emplace_back();
      for (const auto& address : peer.addresses) texts.push_back(address.to_string());
    }
    std::vector<prowl_dht_peer> peers;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto& ptrs = addr_ptrs.emplace_back();
      for (const auto& text : addr_texts[i]) ptrs.push_back(text.c_str());
    }
    for (size_t i = 0; i < ids.size(); ++i)
      peers.push_back({ids[i].c_str(), addr_ptrs[i].data(), addr_ptrs[i].size()});
    const prowl_dht_result result{sizeof(prowl_dht_result),
                                  outcome.status,
                                  outcome.message.c_str(),
                                  outcome.value.empty() ? nullptr : outcome.value.data(),
                                  outcome.value.size(),
                                  outcome.count,
                                  peers.empty() ? nullptr : peers.data(),
                                  peers.size()};
    call_plugin([&] { pending.done.done(pending.done.user, &result); });
  }

  /// Forgets a pending call: its completion will not run. The call's release action.
  void drop(uint64_t id) {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
  }

  asio::any_io_executor executor_;
  dht::DhtService& dht_;
  const identity::KeyPair key_;
  const identity::PeerId local_;
  PluginDhtConfig config_;

  std::mutex mutex_;
  std::map<uint64_t, Pending> pending_;
};

PluginDht::PluginDht(asio::any_io_executor executor, dht::DhtService& dht, identity::KeyPair key,
                     PluginDhtConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), dht, std::move(key), config)) {}

PluginDht::~PluginDht() {
  std::lock_guard lock(impl_->mutex_);
  impl_->pending_.clear();
}

CallResult PluginDht::put(PluginContext& ctx, std::span<const uint8_t> key, std::span<const uint8_t> value,
                          DhtCompletion done) {
  if (auto bad = Impl::check_key("dht_put", key); !bad.ok()) return bad;
  if (const Status own = dht::check_own_prowl_key(key, impl_->local_); !own.ok())
    return failure(static_cast<int32_t>(own.code()), "dht_put: " + own.message());
  std::vector<uint8_t> record = dht::stored_value(impl_->key_, key, {value.begin(), value.end()});
  if (record.size() > kad::kMaxValueBytes)
    return failure(PROWL_ERR_LIMIT, "dht_put: the stored value of " + std::to_string(record.size()) +
                                        " bytes exceeds the limit of " + std::to_string(kad::kMaxValueBytes));
  return impl_->start("dht_put", ctx, done,
                      [k = std::vector<uint8_t>(key.begin(), key.end()),
                       v = std::move(record)](dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.count = co_await dht.put_value(k, v);
                        co_return outcome;
                      });
}

CallResult PluginDht::get(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) {
  if (auto bad = Impl::check_key("dht_get", key); !bad.ok()) return bad;
  return impl_->start("dht_get", ctx, done,
                      [k = std::vector<uint8_t>(key.begin(), key.end())](
                          dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.value = co_await dht.get_value(k);
                        // A /prowl/ value (validated by the DHT already): hand over the signed payload.
                        if (auto envelope = dht::open_prowl_value(k, outcome.value)) outcome.value = envelope->value();
                        co_return outcome;
                      });
}

CallResult PluginDht::provide(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) {
  if (auto bad = Impl::check_key("dht_provide", key); !bad.ok()) return bad;
  return impl_->start("dht_provide", ctx, done,
                      [k = std::vector<uint8_t>(key.begin(), key.end())](
                          dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.count = co_await dht.provide(k);
                        co_return outcome;
                      });
}

CallResult PluginDht::find_providers(PluginContext& ctx, std::span<const uint8_t> key, uint32_t max,
                                     DhtCompletion done) {
  if (auto bad = Impl::check_key("dht_find_providers", key); !bad.ok()) return bad;
  if (max > kad::kBucketSize)
    return failure(PROWL_ERR_INVALID_INPUT, "dht_find_providers: max " + std::to_string(max) + " exceeds " +
                                                std::to_string(kad::kBucketSize));
  const size_t wanted = max == 0 ? kad::kBucketSize : max;
  return impl_->start("dht_find_providers", ctx, done,
                      [k = std::vector<uint8_t>(key.begin(), key.end()),
                       wanted](dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.peers = co_await dht.find_providers(k, wanted);
                        co_return outcome;
                      });
}

CallResult PluginDht::find_peer(PluginContext& ctx, std::string_view peer, DhtCompletion done) {
  std::string error;
  auto id = identity::PeerId::from_string(peer, &error);
  if (!id) return failure(PROWL_ERR_INVALID_INPUT, "dht_find_peer: '" + std::string(peer) + "': " + error);
  return impl_->start("dht_find_peer", ctx, done,
                      [id = *id](dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.peers.push_back(co_await dht.find_peer(id));
                        co_return outcome;
                      });
}

CallResult PluginDht::closest_peers(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) {
  if (auto bad = Impl::check_key("dht_closest_peers", key); !bad.ok()) return bad;
  return impl_->start("dht_closest_peers", ctx, done,
                      [k = std::vector<uint8_t>(key.begin(), key.end())](
                          dht::DhtService& dht) -> asio::awaitable<Outcome> {
                        Outcome outcome;
                        outcome.peers = co_await dht.closest_peers(k);
                        co_return outcome;
                      });
}

}  // namespace prowl::plugin_dht
