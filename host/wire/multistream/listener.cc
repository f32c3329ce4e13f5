#include "host/wire/multistream/listener.h"

#include <algorithm>

#include "host/wire/multistream/message.h"

namespace prowl::multistream {
namespace {

std::vector<std::string> proposable(std::vector<std::string> ids) {
  std::erase_if(ids, [](const std::string& id) { return !check_protocol_id(id, nullptr); });
  return ids;
}

}  // namespace

Listener::Listener(std::vector<std::string> protocols)
    : listed_(proposable(std::move(protocols))) {}

Listener::Listener(Predicate supports, std::vector<std::string> listed)
    : supports_(std::move(supports)), listed_(proposable(std::move(listed))) {}

void Listener::on_message(const std::string& message) {
  const bool supported = message != kList && (supports_ ? supports_(message)
                                                        : std::find(listed_.begin(), listed_.end(),
                                                                    message) != listed_.end());
  if (supported) {
    send(message);
    succeed(message);
    return;
  }
  if (message == kList) {
    append_list_answer(output(), listed_);
  } else {
    send(kNotAvailable);
  }
  if (++proposals_ >= kMaxProposals)
    fail("dialer sent " + std::to_string(kMaxProposals) + " messages without agreement");
}

}  // namespace prowl::multistream
