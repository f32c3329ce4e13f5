// The answer side of one inbound request: a handler answers through it once,
// at once or later.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "host/services/rr/reply.h"

namespace prowl::rr {

/// A copyable handle on one pending answer. Not thread-safe: use it on the
/// executor of the service that made it.
class Responder {
 public:
  /// What the serving stream and its responders share.
  struct State {
    State(const boost::asio::any_io_executor& executor, size_t max_response_bytes);
    boost::asio::steady_timer wake;  ///< cancelled when the answer is set or the request expires
    size_t max_response_bytes;
    bool open = true;  ///< neither answered nor expired
    uint8_t status = PROWL_OK;
    std::vector<uint8_t> payload;
    /// Sets the answer (REQUIRES: open) and wakes the serving stream.
    void settle(uint8_t code, std::vector<uint8_t> bytes);
  };

  explicit Responder(std::shared_ptr<State> state) noexcept : state_(std::move(state)) {}

  /// Answers with `response`. PROWL_ERR_LIMIT when it is over the limit (the
  /// request stays open); PROWL_ERR_NOT_FOUND when answered or expired.
  Status respond(std::vector<uint8_t> response);
  /// Refuses the request: the caller gets PROWL_ERR_REMOTE and `message`
  /// (cut to kMaxErrorBytes). PROWL_ERR_NOT_FOUND when answered or expired.
  Status fail(std::string_view message);
  /// True until answered or expired.
  bool open() const noexcept { return state_->open; }

 private:
  std::shared_ptr<State> state_;
};

}  // namespace prowl::rr
