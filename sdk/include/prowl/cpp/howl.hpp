// prowl/cpp/howl.hpp: howls (prowl/howl.h) in C++. Calls may be made from
// any thread; handlers run on the host's event loop and must not block it.
#ifndef PROWL_CPP_HOWL_HPP_
#define PROWL_CPP_HOWL_HPP_

#include <prowl/cpp/core.hpp>
#include <prowl/howl.h>

#include <functional>

namespace prowl {

/// One howl heard; its views are valid during the callback only.
struct HowlEvent {
  std::string_view sender;  ///< peer id text
  prowl_howl_pattern pattern = PROWL_HOWL_SOCIAL;
  prowl_howl_range range = PROWL_RANGE_GLOBAL;
  std::string_view group;  ///< pack or territory id; empty for global howls
  uint32_t frequency = 0;
  std::span<const uint8_t> payload;
  uint64_t timestamp_ms = 0;
};
/// Receives howls.
using HowlHandler = std::function<void(const HowlEvent&)>;
/// Howls of one pattern this node sent and heard.
struct HowlCounts {
  uint64_t sent = 0;
  uint64_t received = 0;
};

/// Howls for one plugin.
class Howls {
 public:
  explicit Howls(Host& host)
      : host_(host),
        send_(host.proc<prowl_howl_send_fn>("prowl_howl_send")),
        subscribe_(host.proc<prowl_howl_subscribe_fn>("prowl_howl_subscribe")),
        unsubscribe_(host.proc<prowl_howl_unsubscribe_fn>("prowl_howl_unsubscribe")),
        counts_(host.proc<prowl_howl_counts_fn>("prowl_howl_counts")) {}

  /// True when the host offers every howl function.
  bool available() const noexcept { return send_ && subscribe_ && unsubscribe_ && counts_; }

  /// Howls `payload` with `pattern` in `range` at `frequency` (0..1000). Throws Error.
  void howl(prowl_howl_pattern pattern, prowl_howl_range range, uint32_t frequency,
            std::span<const uint8_t> payload) const {
    auto fn = detail::require(send_, "prowl_howl_send");
    detail::call([&](prowl_error* err) {
      return fn(host_.ctx(), pattern, range, frequency, payload.data(), payload.size(), err);
    });
  }
  /// Calls `handler` with howls of `pattern` from other peers in `range`
  /// (PROWL_RANGE_ANY: all). Returns the id for unsubscribe. Throws Error.
  uint64_t on_howl(prowl_howl_pattern pattern, prowl_howl_range range, HowlHandler handler) {
    auto fn = detail::require(subscribe_, "prowl_howl_subscribe");
    uint64_t id = 0;
    Hearing* hearing = host_.keeper().start(
        std::make_unique<Hearing>(Hearing{std::move(handler), &host_.keeper()}),
        [&](Hearing* h, prowl_error* err) { return fn(host_.ctx(), pattern, range, &on_heard, h, &id, err); });
    host_.keeper().name(id, hearing);
    return id;
  }
  /// Ends a howl subscription. Throws Error.
  void unsubscribe(uint64_t id) {
    auto fn = detail::require(unsubscribe_, "prowl_howl_unsubscribe");
    detail::call([&](prowl_error* err) { return fn(host_.ctx(), id, err); });
    host_.keeper().drop_id(id);
  }
  /// Howls of `pattern` this node sent and heard. Throws Error.
  HowlCounts counts(prowl_howl_pattern pattern) const {
    auto fn = detail::require(counts_, "prowl_howl_counts");
    HowlCounts counts;
    detail::call([&](prowl_error* err) { return fn(host_.ctx(), pattern, &counts.sent, &counts.received, err); });
    return counts;
  }

 private:
  struct Hearing {
    HowlHandler handler;
    detail::Keeper* keeper;
  };

  static void on_heard(void* user, const prowl_howl* h) noexcept {
    auto* hearing = static_cast<Hearing*>(user);
    try {
      const std::shared_ptr<void> alive = hearing->keeper->hold(hearing);  // the handler may unsubscribe
      hearing->handler(HowlEvent{h->sender, static_cast<prowl_howl_pattern>(h->pattern),
                                 static_cast<prowl_howl_range>(h->range), h->group, h->frequency,
                                 {h->payload, h->len}, h->timestamp_ms});
    } catch (...) {
      // One howl's failure does not end the subscription.
    }
  }

  Host& host_;
  prowl_howl_send_fn send_;
  prowl_howl_subscribe_fn subscribe_;
  prowl_howl_unsubscribe_fn unsubscribe_;
  prowl_howl_counts_fn counts_;
};

}  // namespace prowl

#endif  // PROWL_CPP_HOWL_HPP_
