#include "host/plugin_host/pubsub/plugin_pubsub.h"

#include <boost/asio/post.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "host/base/log/log.h"
#include "host/plugin_host/internal/call_guard.h"
#include "host/services/pubsub/pubsub_service.h"

namespace prowl::plugin_pubsub {
namespace asio = boost::asio;
using plugins::call_plugin;
using plugins::CallResult;
using plugins::failure;
using plugins::PluginContext;
using plugins::RegistrationKind;

class PluginPubsub::Impl : public std::enable_shared_from_this<Impl> {
 public:
  /// One plugin subscription. Guarded by mutex_.
  struct Subscription {
    PluginContext* ctx = nullptr;
    std::string topic;
    prowl_pubsub_message_fn on_message = nullptr;
    void* user = nullptr;
    std::optional<pubsub_service::SubscriptionId> service_id;  ///< set once made on the loop
  };
  struct Validator {
    PluginContext* ctx = nullptr;
    uint64_t registration = 0;
    prowl_pubsub_validator_fn validator = nullptr;
    void* user = nullptr;
  };

  Impl(asio::any_io_executor executor, pubsub_service::PubsubService& pubsub, PluginPubsubConfig config)
      : executor_(std::move(executor)), pubsub_(pubsub), config_(config), log_(log::get_logger("plugins")) {}

  CallResult check_topic(const char* what, std::string_view topic) const {
    if (topic.empty() || topic.size() > config_.max_topic_bytes)
      return failure(PROWL_ERR_INVALID_INPUT, std::string(what) + ": a topic has 1 to " +
                                                  std::to_string(config_.max_topic_bytes) + " bytes, not " +
                                                  std::to_string(topic.size()));
    return {};
  }


  /// The message as plugins see it; `from` must outlive the view.
  static prowl_pubsub_message view(const pubsub::Message& message, const std::string& from) {
    return {sizeof(prowl_pubsub_message), message.topic.c_str(), from.c_str(), message.seqno, message.data.data(),
            message.data.size()};
  }

  /// Hands a message to one live subscription. On the executor.
  void deliver(uint64_t id, const pubsub::Message& message) {
    Subscription sub;
    {
      std::lock_guard lock(mutex_);
      auto it = subscriptions_.find(id);
      if (it == subscriptions_.end()) return;
      sub = it->second;
    }
    const std::string from = message.from.to_string();
    const prowl_pubsub_message m = view(message, from);
    if (!call_plugin([&] { sub.on_message(sub.user, &m); }))
      log_->warn("plugin '{}': its message callback for topic '{}' threw", sub.ctx->name(), sub.topic);
  }

  /// Runs every plugin validator of the message's topic: all must accept;
  /// a failed one counts as ignore. On the executor.
  pubsub::Verdict judge(const pubsub::Message& message) {
    std::vector<Validator> validators;
    {
      std::lock_guard lock(mutex_);
      auto it = validators_.find(message.topic);
      if (it == validators_.end()) return pubsub::Verdict::kAccept;
      for (const auto& [plugin, v] : it->second) validators.push_back(v);
    }
    const std::string from = message.from.to_string();
    const prowl_pubsub_message m = view(message, from);
    pubsub::Verdict verdict = pubsub::Verdict::kAccept;
    for (const Validator& v : validators) {
      int32_t said = PROWL_VERDICT_IGNORE;
      if (!call_plugin([&] { said = v.validator(v.user, &m); })) {
        log_->warn("plugin '{}': its validator for topic '{}' threw; the message is ignored", v.ctx->name(),
                   message.topic);
        said = PROWL_VERDICT_IGNORE;
      } else if (said != PROWL_VERDICT_ACCEPT && said != PROWL_VERDICT_REJECT && said != PROWL_VERDICT_IGNORE) {
        log_->warn("plugin '{}': its validator for topic '{}' returned {}, not a verdict; the message is ignored",
                   v.ctx->name(), message.topic, said);
        said = PROWL_VERDICT_IGNORE;
      }
      if (said == PROWL_VERDICT_REJECT) return pubsub::Verdict::kReject;
      if (said == PROWL_VERDICT_IGNORE) verdict = pubsub::Verdict::kIgnore;
    }
    return verdict;
  }

  /// Gives `topic` the service validator while a plugin validates it and
  /// removes it once none does. On the executor.
  void sync_validator(const std::string& topic) {
    bool wanted = false;
    {
      std::lock_guard lock(mutex_);
      auto it = validators_.find(topic);
      wanted = it != validators_.end() && !it->second.empty();
    }
    auto held = service_validators_.find(topic);
    if (wanted && held == service_validators_.end()) {
      // One service validator per topic asks the plugins registered at the time of each message.
      std::weak_ptr<Impl> weak = shared_from_this();
      service_validators_.emplace(topic, pubsub_.add_validator(topic, [weak](const pubsub::Message& message) {
        auto impl = weak.lock();
        return impl ? impl->judge(message) : pubsub::Verdict::kAccept;
      }));
    } else if (!wanted && held != service_validators_.end()) {
      pubsub_.remove_validator(held->second);
      service_validators_.erase(held);
    }
  }

  // ---- ends of registrations (their release actions); on the executor ----

  void end_subscription(uint64_t id) {
    std::optional<pubsub_service::SubscriptionId> service_id;
    {
      std::lock_guard lock(mutex_);
      auto it = subscriptions_.find(id);
      if (it == subscriptions_.end()) return;
      service_id = it->second.service_id;
      subscriptions_.erase(it);
    }
    if (service_id) pubsub_.unsubscribe(*service_id);
  }

  void end_validator(uint64_t id) {
    std::string topic;
    {
      std::lock_guard lock(mutex_);
      for (auto it = validators_.begin(); it != validators_.end() && topic.empty(); ++it) {
        if (std::erase_if(it->second, [&](const auto& e) { return e.second.registration == id; }) == 0) continue;
        topic = it->first;
        if (it->second.empty()) validators_.erase(it);
        break;
      }
    }
    if (!topic.empty()) sync_validator(topic);
  }

  /// Ends every subscription and validator without callbacks (the bridge goes away).
  void release_all() noexcept {
    std::vector<uint64_t> subscriptions;
    std::vector<uint64_t> validators;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, sub] : subscriptions_) subscriptions.push_back(id);
      for (const auto& [topic, by_ctx] : validators_) {
        for (const auto& [ctx, v] : by_ctx) validators.push_back(v.registration);
      }
    }
    for (uint64_t id : subscriptions) end_subscription(id);
    for (uint64_t id : validators) end_validator(id);
  }

  asio::any_io_executor executor_;
  pubsub_service::PubsubService& pubsub_;
  PluginPubsubConfig config_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex mutex_;
  std::map<uint64_t, Subscription> subscriptions_;  ///< by registration id
  /// topic -> plugin context -> its validator.
  std::map<std::string, std::map<PluginContext*, Validator>, std::less<>> validators_;
  /// topic -> the service validator that judges it; on the executor only.
  std::map<std::string, pubsub_service::ValidatorId, std::less<>> service_validators_;
};

PluginPubsub::PluginPubsub(asio::any_io_executor executor, pubsub_service::PubsubService& pubsub,
                           PluginPubsubConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), pubsub, config)) {}

PluginPubsub::~PluginPubsub() { impl_->release_all(); }

CallResult PluginPubsub::subscribe(PluginContext& ctx, std::string_view topic,
                                   prowl_pubsub_message_fn on_message, void* user, uint64_t* id) {
  if (auto bad = impl_->check_topic("pubsub_subscribe", topic); !bad.ok()) return bad;
  uint64_t sub_id = 0;
  {
    std::lock_guard lock(impl_->mutex_);
    auto registered = ctx.registrations().add_for(RegistrationKind::kSubscription,
                                                  impl_->config_.max_subscriptions_per_plugin, impl_->weak_from_this(),
                                                  &Impl::end_subscription);
    if (!registered)
      return failure(PROWL_ERR_LIMIT, "pubsub_subscribe: plugin '" + ctx.name() + "' has " +
                                          std::to_string(impl_->config_.max_subscriptions_per_plugin) +
                                          " subscriptions");
    sub_id = *registered;
    impl_->subscriptions_.emplace(sub_id, Impl::Subscription{&ctx, std::string(topic), on_message, user, std::nullopt});
  }
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, sub_id, topic = std::string(topic)] {
    auto self = weak.lock();
    if (!self) return;
    {
      std::lock_guard lock(self->mutex_);
      if (!self->subscriptions_.contains(sub_id)) return;  // ended before it was made
    }
    const auto service_id = self->pubsub_.subscribe(topic, [weak, sub_id](const pubsub::Message& message) {
      if (auto impl = weak.lock()) impl->deliver(sub_id, message);
    });
    std::lock_guard lock(self->mutex_);
    auto it = self->subscriptions_.find(sub_id);
    if (it != self->subscriptions_.end()) {
      it->second.service_id = service_id;
    } else {
      self->pubsub_.unsubscribe(service_id);
    }
  });
  *id = sub_id;
  return {};
}

CallResult PluginPubsub::unsubscribe(PluginContext& ctx, uint64_t id) {
  std::optional<pubsub_service::SubscriptionId> service_id;
  {
    std::lock_guard lock(impl_->mutex_);
    auto it = impl_->subscriptions_.find(id);
    if (it == impl_->subscriptions_.end() || it->second.ctx != &ctx)
      return failure(PROWL_ERR_NOT_FOUND, "pubsub_unsubscribe: no subscription " + std::to_string(id) +
                                              " of plugin '" + ctx.name() + "'");
    service_id = it->second.service_id;
    impl_->subscriptions_.erase(it);
    ctx.registrations().remove(id);
  }
  if (service_id) {
    std::weak_ptr<Impl> weak = impl_;
    asio::post(impl_->executor_, [weak, sid = *service_id] {
      if (auto self = weak.lock()) self->pubsub_.unsubscribe(sid);
    });
  }
  return {};
}

CallResult PluginPubsub::publish(PluginContext& ctx, std::string_view topic, std::span<const uint8_t> data) {
  if (auto bad = impl_->check_topic("pubsub_publish", topic); !bad.ok()) return bad;
  if (data.size() > impl_->config_.max_message_bytes)
    return failure(PROWL_ERR_LIMIT, "pubsub_publish: " + std::to_string(data.size()) +
                                        " bytes of data exceed the limit of " +
                                        std::to_string(impl_->config_.max_message_bytes));
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, plugin = ctx.name(), topic = std::string(topic),
                                bytes = std::vector<uint8_t>(data.begin(), data.end())] {
    auto self = weak.lock();
    if (!self) return;
    std::string error;
    if (!self->pubsub_.publish(topic, bytes, &error))
      self->log_->warn("plugin '{}': publishing to '{}' failed: {}", plugin, topic, error);
  });
  return {};
}

CallResult PluginPubsub::validate(PluginContext& ctx, std::string_view topic,
                                  prowl_pubsub_validator_fn validator, void* user) {
  if (auto bad = impl_->check_topic("pubsub_validate", topic); !bad.ok()) return bad;
  bool first = false;
  {
    std::lock_guard lock(impl_->mutex_);
    auto held = impl_->validators_.find(topic);
    if (held != impl_->validators_.end() && held->second.contains(&ctx))
      return failure(PROWL_ERR_INVALID_INPUT, "pubsub_validate: plugin '" + ctx.name() + "' validates topic '" +
                                                  std::string(topic) + "' already");
    auto registered =
        ctx.registrations().add_for(RegistrationKind::kValidator, impl_->config_.max_validators_per_plugin,
                                    impl_->weak_from_this(), &Impl::end_validator);
    if (!registered)
      return failure(PROWL_ERR_LIMIT, "pubsub_validate: plugin '" + ctx.name() + "' has " +
                                          std::to_string(impl_->config_.max_validators_per_plugin) + " validators");
    auto& by_ctx = impl_->validators_[std::string(topic)];
    by_ctx.emplace(&ctx, Impl::Validator{&ctx, *registered, validator, user});
    first = by_ctx.size() == 1;
  }
  if (first) {
    std::weak_ptr<Impl> weak = impl_;
    asio::post(impl_->executor_, [weak, topic = std::string(topic)] {
      if (auto self = weak.lock()) self->sync_validator(topic);
    });
  }
  return {};
}


}  // namespace prowl::plugin_pubsub
