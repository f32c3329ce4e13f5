#include "host/plugin_host/howl/plugin_howl.h"

#include <boost/asio/post.hpp>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "host/services/howl/howl_service.h"
#include "host/base/log/log.h"
#include "host/plugin_host/internal/call_guard.h"

namespace prowl::plugin_howl {
namespace asio = boost::asio;
using plugins::call_plugin;
using plugins::CallResult;
using plugins::failure;
using plugins::PluginContext;
using plugins::RegistrationKind;

namespace {

std::optional<howl::Pattern> pattern_of(uint32_t pattern) {
  if (pattern < PROWL_HOWL_GATHERING || pattern > PROWL_HOWL_SOCIAL) return std::nullopt;
  return static_cast<howl::Pattern>(pattern);
}

std::optional<howl::Range> range_of(uint32_t range) {
  if (range < PROWL_RANGE_PACK || range > PROWL_RANGE_GLOBAL) return std::nullopt;
  return static_cast<howl::Range>(range);
}

CallResult bad_pattern(const char* what, uint32_t pattern) {
  return failure(PROWL_ERR_INVALID_INPUT, std::string(what) + ": pattern " + std::to_string(pattern) +
                                              " is not a prowl_howl_pattern (1..5)");
}

}  // namespace

class PluginHowl::Impl : public std::enable_shared_from_this<Impl> {
 public:
  struct Subscription {
    PluginContext* ctx = nullptr;
    howl::Pattern pattern = howl::Pattern::kSocial;
    std::optional<howl::Range> range;  ///< nullopt: every range
    prowl_howl_fn on_howl = nullptr;
    void* user = nullptr;
  };

  Impl(asio::any_io_executor executor, howl::HowlService& howls, PluginHowlConfig config)
      : executor_(std::move(executor)), howls_(howls), config_(config), log_(log::get_logger("plugins")) {}

  static size_t index(howl::Pattern pattern) { return static_cast<size_t>(pattern) - 1; }

  /// Copies the service's counters of `pattern` for readers on any thread. On the executor.
  void snapshot(howl::Pattern pattern) {
    sent_[index(pattern)].store(howls_.sent(pattern));
    received_[index(pattern)].store(howls_.received(pattern));
  }

  /// Hooks (pattern, range) on the service while a plugin subscription
  /// covers it and ends the hook once none does. On the executor.
  void sync_hook(howl::Pattern pattern, howl::Range range) {
    bool wanted = false;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, sub] : subscriptions_) {
        wanted = wanted || (sub.pattern == pattern && (!sub.range || *sub.range == range));
      }
    }
    auto held = hooks_.find({pattern, range});
    if (wanted && held == hooks_.end()) {
      std::weak_ptr<Impl> weak = shared_from_this();
      auto forward = [weak](const howl::Howl& heard) {
        if (auto self = weak.lock()) self->deliver(heard);
      };
      hooks_.emplace(std::pair{pattern, range}, howls_.on_howl(pattern, std::move(forward), range));
    } else if (!wanted && held != hooks_.end()) {
      howls_.off_howl(held->second);
      hooks_.erase(held);
    }
  }

  /// Posts sync_hook for each range `range` covers (nullopt: all of them).
  void post_sync(howl::Pattern pattern, std::optional<howl::Range> range) {
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::post(executor_, [weak, pattern, range] {
      auto self = weak.lock();
      if (!self) return;
      for (howl::Range each : howl::kRanges) {
        if (!range || *range == each) self->sync_hook(pattern, each);
      }
    });
  }

  /// Hands a howl to the plugins subscribed to it. On the executor.
  void deliver(const howl::Howl& heard) {
    snapshot(heard.pattern);
    std::vector<Subscription> targets;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, sub] : subscriptions_) {
        if (sub.pattern == heard.pattern && (!sub.range || *sub.range == heard.range)) targets.push_back(sub);
      }
    }
    if (targets.empty()) return;
    const std::string sender = heard.sender.to_string();
    const prowl_howl h{sizeof(prowl_howl),         sender.c_str(),         static_cast<uint32_t>(heard.pattern),
                       static_cast<uint32_t>(heard.range), heard.group.c_str(), heard.frequency,
                       heard.payload.data(),         heard.payload.size(),   heard.timestamp_ms};
    for (const Subscription& sub : targets) {
      if (!call_plugin([&] { sub.on_howl(sub.user, &h); }))
        log_->warn("plugin '{}': its howl callback threw", sub.ctx->name());
    }
  }

  /// Ends subscription `id` (its release action); on the executor.
  void end_subscription(uint64_t id) {
    std::optional<Subscription> ended;
    {
      std::lock_guard lock(mutex_);
      auto it = subscriptions_.find(id);
      if (it == subscriptions_.end()) return;
      ended = std::move(it->second);
      subscriptions_.erase(it);
    }
    for (howl::Range each : howl::kRanges) {
      if (!ended->range || *ended->range == each) sync_hook(ended->pattern, each);
    }
  }

  asio::any_io_executor executor_;
  howl::HowlService& howls_;
  PluginHowlConfig config_;
  std::shared_ptr<spdlog::logger> log_;
  std::array<std::atomic<uint64_t>, std::size(howl::kPatterns)> sent_{};
  std::array<std::atomic<uint64_t>, std::size(howl::kPatterns)> received_{};

  std::mutex mutex_;
  std::map<uint64_t, Subscription> subscriptions_;  ///< by registration id
  /// (pattern, range) -> the service subscription that hears it; on the executor only.
  std::map<std::pair<howl::Pattern, howl::Range>, howl::HowlSubscriptionId> hooks_;
};

PluginHowl::PluginHowl(asio::any_io_executor executor, howl::HowlService& howls, PluginHowlConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), howls, config)) {
  for (howl::Pattern pattern : howl::kPatterns) impl_->snapshot(pattern);
}

PluginHowl::~PluginHowl() {
  {
    std::lock_guard lock(impl_->mutex_);
    impl_->subscriptions_.clear();
  }
  std::vector<std::pair<howl::Pattern, howl::Range>> hooked;  // sync_hook ends them
  for (const auto& [key, id] : impl_->hooks_) hooked.push_back(key);
  for (const auto& [pattern, range] : hooked) impl_->sync_hook(pattern, range);
}

CallResult PluginHowl::send(PluginContext& ctx, uint32_t pattern, uint32_t range, uint32_t frequency,
                            std::span<const uint8_t> payload) {
  const auto p = pattern_of(pattern);
  if (!p) return bad_pattern("howl_send", pattern);
  const auto r = range_of(range);
  if (!r)
    return failure(PROWL_ERR_INVALID_INPUT,
                   "howl_send: range " + std::to_string(range) + " is not pack (1), territory (2) or global (3)");
  if (frequency > howl::kMaxFrequency)
    return failure(PROWL_ERR_INVALID_INPUT, "howl_send: frequency " + std::to_string(frequency) + " exceeds " +
                                                std::to_string(howl::kMaxFrequency));
  if (payload.size() > howl::kMaxPayloadBytes)
    return failure(PROWL_ERR_LIMIT, "howl_send: payload of " + std::to_string(payload.size()) +
                                        " bytes exceeds " + std::to_string(howl::kMaxPayloadBytes));
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, plugin = ctx.name(), p = *p, r = *r, frequency,
                                bytes = std::vector<uint8_t>(payload.begin(), payload.end())] {
    auto self = weak.lock();
    if (!self) return;
    std::string error;
    if (!self->howls_.howl(p, r, frequency, bytes, &error))
      self->log_->warn("plugin '{}': howling failed: {}", plugin, error);
    self->snapshot(p);
  });
  return {};
}

CallResult PluginHowl::subscribe(PluginContext& ctx, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl,
                                 void* user, uint64_t* id) {
  const auto p = pattern_of(pattern);
  if (!p) return bad_pattern("howl_subscribe", pattern);
  const auto r = range_of(range);
  if (!r && range != PROWL_RANGE_ANY)
    return failure(PROWL_ERR_INVALID_INPUT, "howl_subscribe: range " + std::to_string(range) +
                                                " is not any (0), pack (1), territory (2) or global (3)");
  {
    std::lock_guard lock(impl_->mutex_);
    auto registered = ctx.registrations().add_for(RegistrationKind::kHowlSubscription,
                                                  impl_->config_.max_subscriptions_per_plugin, impl_->weak_from_this(),
                                                  &Impl::end_subscription);
    if (!registered)
      return failure(PROWL_ERR_LIMIT, "howl_subscribe: plugin '" + ctx.name() + "' has " +
                                          std::to_string(impl_->config_.max_subscriptions_per_plugin) +
                                          " howl subscriptions");
    *id = *registered;
    impl_->subscriptions_.emplace(*id, Impl::Subscription{&ctx, *p, r, on_howl, user});
  }
  impl_->post_sync(*p, r);
  return {};
}

CallResult PluginHowl::unsubscribe(PluginContext& ctx, uint64_t id) {
  Impl::Subscription ended;
  {
    std::lock_guard lock(impl_->mutex_);
    auto it = impl_->subscriptions_.find(id);
    if (it == impl_->subscriptions_.end() || it->second.ctx != &ctx)
      return failure(PROWL_ERR_NOT_FOUND, "howl_unsubscribe: no howl subscription " + std::to_string(id) +
                                              " of plugin '" + ctx.name() + "'");
    ended = std::move(it->second);
    impl_->subscriptions_.erase(it);
    ctx.registrations().remove(id);
  }
  impl_->post_sync(ended.pattern, ended.range);
  return {};
}

CallResult PluginHowl::counts(uint32_t pattern, uint64_t* sent, uint64_t* received) const {
  const auto p = pattern_of(pattern);
  if (!p) return bad_pattern("howl_counts", pattern);
  *sent = impl_->sent_[Impl::index(*p)].load();
  *received = impl_->received_[Impl::index(*p)].load();
  return {};
}

}  // namespace prowl::plugin_howl
