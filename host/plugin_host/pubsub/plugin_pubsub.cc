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

class PluginPubsub::Impl : public std::enable_shared_from_this<Impl> {
 public:
  /// One plugin subscription. Guarded by mutex_.
  struct Subscription {
    std::string plugin;
    std::string topic;
    prowl_pubsub_message_fn on_message = nullptr;
    void* user = nullptr;
    std::optional<pubsub_service::SubscriptionId> service_id;  ///< set once made on the loop
  };
  struct Validator {
    std::string plugin;
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

  template <class Map>
  static size_t count_of(const Map& map, std::string_view plugin) {
    size_t n = 0;
    for (const auto& entry : map) n += entry.second.plugin == plugin ? 1 : 0;
    return n;
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
      log_->warn("plugin '{}': its message callback for topic '{}' threw", sub.plugin, sub.topic);
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
        log_->warn("plugin '{}': its validator for topic '{}' threw; the message is ignored", v.plugin,
                   message.topic);
        said = PROWL_VERDICT_IGNORE;
      } else if (said != PROWL_VERDICT_ACCEPT && said != PROWL_VERDICT_REJECT && said != PROWL_VERDICT_IGNORE) {
        log_->warn("plugin '{}': its validator for topic '{}' returned {}, not a verdict; the message is ignored",
                   v.plugin, message.topic, said);
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

  void release(std::string_view plugin) noexcept {
    std::vector<pubsub_service::SubscriptionId> ended;
    std::vector<std::string> unvalidated;
    {
      std::lock_guard lock(mutex_);
      for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
        if (plugin.empty() || it->second.plugin == plugin) {
          if (it->second.service_id) ended.push_back(*it->second.service_id);
          it = subscriptions_.erase(it);
        } else {
          ++it;
        }
      }
      for (auto it = validators_.begin(); it != validators_.end();) {
        std::erase_if(it->second, [&](const auto& e) { return plugin.empty() || e.first == plugin; });
        if (it->second.empty()) {
          unvalidated.push_back(it->first);
          it = validators_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto id : ended) pubsub_.unsubscribe(id);
    for (const auto& topic : unvalidated) sync_validator(topic);
  }

  asio::any_io_executor executor_;
  pubsub_service::PubsubService& pubsub_;
  PluginPubsubConfig config_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Subscription> subscriptions_;
  /// topic -> plugin -> its validator.
  std::map<std::string, std::map<std::string, Validator, std::less<>>, std::less<>> validators_;
  /// topic -> the service validator that judges it; on the executor only.
  std::map<std::string, pubsub_service::ValidatorId, std::less<>> service_validators_;
};

PluginPubsub::PluginPubsub(asio::any_io_executor executor, pubsub_service::PubsubService& pubsub,
                           PluginPubsubConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), pubsub, config)) {}

PluginPubsub::~PluginPubsub() { impl_->release({}); }

CallResult PluginPubsub::subscribe(std::string_view plugin, std::string_view topic,
                                   prowl_pubsub_message_fn on_message, void* user, uint64_t* id) {
  if (auto bad = impl_->check_topic("pubsub_subscribe", topic); !bad.ok()) return bad;
  uint64_t sub_id = 0;
  {
    std::lock_guard lock(impl_->mutex_);
    if (Impl::count_of(impl_->subscriptions_, plugin) >= impl_->config_.max_subscriptions_per_plugin)
      return failure(PROWL_ERR_LIMIT, "pubsub_subscribe: plugin '" + std::string(plugin) + "' has " +
                                          std::to_string(impl_->config_.max_subscriptions_per_plugin) +
                                          " subscriptions");
    sub_id = impl_->next_id_++;
    impl_->subscriptions_.emplace(sub_id, Impl::Subscription{std::string(plugin), std::string(topic), on_message,
                                                             user, std::nullopt});
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

CallResult PluginPubsub::unsubscribe(std::string_view plugin, uint64_t id) {
  std::optional<pubsub_service::SubscriptionId> service_id;
  {
    std::lock_guard lock(impl_->mutex_);
    auto it = impl_->subscriptions_.find(id);
    if (it == impl_->subscriptions_.end() || it->second.plugin != plugin)
      return failure(PROWL_ERR_NOT_FOUND, "pubsub_unsubscribe: no subscription " + std::to_string(id) +
                                              " of plugin '" + std::string(plugin) + "'");
    service_id = it->second.service_id;
    impl_->subscriptions_.erase(it);
  }
  if (service_id) {
    std::weak_ptr<Impl> weak = impl_;
    asio::post(impl_->executor_, [weak, sid = *service_id] {
      if (auto self = weak.lock()) self->pubsub_.unsubscribe(sid);
    });
  }
  return {};
}

CallResult PluginPubsub::publish(std::string_view plugin, std::string_view topic, std::span<const uint8_t> data) {
  if (auto bad = impl_->check_topic("pubsub_publish", topic); !bad.ok()) return bad;
  if (data.size() > impl_->config_.max_message_bytes)
    return failure(PROWL_ERR_LIMIT, "pubsub_publish: " + std::to_string(data.size()) +
                                        " bytes of data exceed the limit of " +
                                        std::to_string(impl_->config_.max_message_bytes));
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, plugin = std::string(plugin), topic = std::string(topic),
                                bytes = std::vector<uint8_t>(data.begin(), data.end())] {
    auto self = weak.lock();
    if (!self) return;
    std::string error;
    if (!self->pubsub_.publish(topic, bytes, &error))
      self->log_->warn("plugin '{}': publishing to '{}' failed: {}", plugin, topic, error);
  });
  return {};
}

CallResult PluginPubsub::validate(std::string_view plugin, std::string_view topic,
                                  prowl_pubsub_validator_fn validator, void* user) {
  if (auto bad = impl_->check_topic("pubsub_validate", topic); !bad.ok()) return bad;
  bool first = false;
  {
    std::lock_guard lock(impl_->mutex_);
    size_t mine = 0;
    for (const auto& [t, by_plugin] : impl_->validators_) mine += by_plugin.contains(plugin) ? 1 : 0;
    auto& by_plugin = impl_->validators_[std::string(topic)];
    if (by_plugin.contains(plugin))
      return failure(PROWL_ERR_INVALID_INPUT, "pubsub_validate: plugin '" + std::string(plugin) +
                                                  "' validates topic '" + std::string(topic) + "' already");
    if (mine >= impl_->config_.max_validators_per_plugin)
      return failure(PROWL_ERR_LIMIT, "pubsub_validate: plugin '" + std::string(plugin) + "' has " +
                                          std::to_string(impl_->config_.max_validators_per_plugin) + " validators");
    by_plugin.emplace(std::string(plugin), Impl::Validator{std::string(plugin), validator, user});
    first = by_plugin.size() == 1;
  }
  if (first) {
    std::weak_ptr<Impl> weak = impl_;
    asio::post(impl_->executor_, [weak, topic = std::string(topic)] {
      if (auto self = weak.lock()) self->sync_validator(topic);
    });
  }
  return {};
}

void PluginPubsub::release(std::string_view plugin) noexcept { impl_->release(plugin); }

}  // namespace prowl::plugin_pubsub
