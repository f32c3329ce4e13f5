// prowl/cpp/pubsub.hpp: gossipsub (prowl/pubsub.h) in C++. Calls may be
// made from any thread; handlers and validators run on the host's event
// loop and must not block it.
#ifndef PROWL_CPP_PUBSUB_HPP_
#define PROWL_CPP_PUBSUB_HPP_

#include <prowl/cpp/core.hpp>
#include <prowl/pubsub.h>

#include <functional>

namespace prowl {

/// One pub/sub message; its views are valid during the callback only.
struct PubsubMessage {
  std::string_view topic;
  std::string_view from;  ///< the author's peer id
  uint64_t seqno = 0;
  std::span<const uint8_t> data;
};
/// Receives the messages of a subscribed topic.
using MessageHandler = std::function<void(const PubsubMessage&)>;
/// A validator's verdict.
enum class Verdict : int32_t {
  kAccept = PROWL_VERDICT_ACCEPT,  ///< deliver and forward
  kReject = PROWL_VERDICT_REJECT,  ///< drop and penalise the senders
  kIgnore = PROWL_VERDICT_IGNORE   ///< drop without penalty
};
/// Judges received messages of a topic; an exception counts as kIgnore.
using MessageValidator = std::function<Verdict(const PubsubMessage&)>;

/// Pub/sub for one plugin.
class Pubsub {
 public:
  explicit Pubsub(Host& host)
      : host_(host),
        subscribe_(host.proc<prowl_pubsub_subscribe_fn>("prowl_pubsub_subscribe")),
        unsubscribe_(host.proc<prowl_pubsub_unsubscribe_fn>("prowl_pubsub_unsubscribe")),
        publish_(host.proc<prowl_pubsub_publish_fn>("prowl_pubsub_publish")),
        validate_(host.proc<prowl_pubsub_validate_fn>("prowl_pubsub_validate")) {}

  /// True when the host offers every pub/sub function.
  bool available() const noexcept { return subscribe_ && unsubscribe_ && publish_ && validate_; }

  /// Calls `handler` with every message of `topic` until unsubscribe(id).
  /// Returns the subscription's id. Throws Error.
  uint64_t subscribe(const std::string& topic, MessageHandler handler) {
    auto fn = detail::require(subscribe_, "prowl_pubsub_subscribe");
    uint64_t id = 0;
    Subscribed* sub = host_.keeper().start(
        std::make_unique<Subscribed>(Subscribed{std::move(handler), &host_.keeper()}),
        [&](Subscribed* s, prowl_error* err) { return fn(host_.ctx(), topic.c_str(), &on_message, s, &id, err); });
    host_.keeper().name(id, sub);
    return id;
  }
  /// Ends a subscription. Throws Error (PROWL_ERR_NOT_FOUND for an unknown id).
  void unsubscribe(uint64_t id) {
    auto fn = detail::require(unsubscribe_, "prowl_pubsub_unsubscribe");
    detail::call([&](prowl_error* err) { return fn(host_.ctx(), id, err); });
    host_.keeper().drop_id(id);
  }
  /// Signs and sends `data` to `topic`. Throws Error.
  void publish(const std::string& topic, std::span<const uint8_t> data) const {
    auto fn = detail::require(publish_, "prowl_pubsub_publish");
    detail::call([&](prowl_error* err) { return fn(host_.ctx(), topic.c_str(), data.data(), data.size(), err); });
  }
  void publish(const std::string& topic, std::string_view text) const {
    publish(topic, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }
  /// Judges received messages of `topic` with `validator` (one per topic)
  /// until the plugin stops. Throws Error.
  void validate(const std::string& topic, MessageValidator validator) {
    auto fn = detail::require(validate_, "prowl_pubsub_validate");
    host_.keeper().start(std::make_unique<Validating>(Validating{&host_, topic, std::move(validator)}),
                         [&](Validating* v, prowl_error* err) {
                           return fn(host_.ctx(), topic.c_str(), &on_validate, v, err);
                         });
  }

 private:
  struct Subscribed {
    MessageHandler handler;
    detail::Keeper* keeper;
  };
  struct Validating {
    const Host* host;
    std::string topic;
    MessageValidator validator;
  };

  static PubsubMessage message_of(const prowl_pubsub_message* m) noexcept {
    return {m->topic, m->from, m->seqno, {m->data, m->len}};
  }
  static void on_message(void* user, const prowl_pubsub_message* m) noexcept {
    auto* sub = static_cast<Subscribed*>(user);
    try {
      const std::shared_ptr<void> alive = sub->keeper->hold(sub);  // the handler may unsubscribe
      sub->handler(message_of(m));
    } catch (...) {
      // One message's failure does not end the subscription.
    }
  }
  static int32_t on_validate(void* user, const prowl_pubsub_message* m) noexcept {
    auto* v = static_cast<Validating*>(user);
    Verdict verdict = Verdict::kIgnore;
    prowl_error err{};
    if (detail::guarded(&err, [&] { verdict = v->validator(message_of(m)); }) != PROWL_OK) {
      try {
        v->host->warn("validator of topic '" + v->topic + "' threw (message ignored): " + err.message);
      } catch (...) {
        // Out of memory: the verdict stands without the log line.
      }
    }
    return static_cast<int32_t>(verdict);
  }

  Host& host_;
  prowl_pubsub_subscribe_fn subscribe_;
  prowl_pubsub_unsubscribe_fn unsubscribe_;
  prowl_pubsub_publish_fn publish_;
  prowl_pubsub_validate_fn validate_;
};

}  // namespace prowl

#endif  // PROWL_CPP_PUBSUB_HPP_
