#include "host/wire/multistream/dialer.h"

#include "host/wire/multistream/message.h"

namespace prowl::multistream {

Dialer::Dialer(std::vector<std::string> protocols) : protocols_(std::move(protocols)) {
  if (protocols_.empty()) {
    fail("no protocols to propose");
    return;
  }
  for (const auto& id : protocols_) {
    std::string why;
    if (!check_protocol_id(id, &why)) {
      fail("cannot propose '" + id + "': " + why);
      return;
    }
  }
  send(protocols_.front());
}

void Dialer::on_message(const std::string& message) {
  const std::string& proposal = protocols_[current_];
  if (message == proposal) {
    succeed(proposal);
    return;
  }
  if (message != kNotAvailable) {
    fail("unexpected answer '" + message + "' to proposal '" + proposal + "'");
    return;
  }
  if (++current_ < protocols_.size()) {
    send(protocols_[current_]);
    return;
  }
  std::string list;
  for (const auto& id : protocols_) list += (list.empty() ? "" : ", ") + id;
  fail("no protocol in common: [" + list + "]");
  no_common_protocol();
}

}  // namespace prowl::multistream
