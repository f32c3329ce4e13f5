#include "host/services/rr/responder.h"

#include <algorithm>
#include <string>

#include "host/services/rr/frame_reader.h"

namespace prowl::rr {

Responder::State::State(const boost::asio::any_io_executor& executor, size_t max_response)
    : wake(executor, boost::asio::steady_timer::time_point::max()), max_response_bytes(max_response) {}

void Responder::State::settle(uint8_t code, std::vector<uint8_t> bytes) {
  open = false;
  status = code;
  payload = std::move(bytes);
  wake.cancel();
}

Status Responder::respond(std::vector<uint8_t> response) {
  if (!state_->open) return {StatusCode::kNotFound, "the request was already answered or has expired"};
  if (response.size() > state_->max_response_bytes)
    return {StatusCode::kLimit, "response of " + std::to_string(response.size()) + " bytes exceeds the limit of " +
                                 std::to_string(state_->max_response_bytes)};
  state_->settle(PROWL_OK, std::move(response));
  return {};
}

Status Responder::fail(std::string_view message) {
  if (!state_->open) return {StatusCode::kNotFound, "the request was already answered or has expired"};
  const std::string_view text = message.substr(0, std::min(message.size(), kMaxErrorBytes));
  state_->settle(PROWL_ERR_REMOTE, std::vector<uint8_t>(text.begin(), text.end()));
  return {};
}

}  // namespace prowl::rr
