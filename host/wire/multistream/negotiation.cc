#include "host/wire/multistream/negotiation.h"

#include <utility>

#include "host/wire/multistream/message.h"

namespace prowl::multistream {

Negotiation::Negotiation() { send(kProtocolId); }

void Negotiation::on_bytes(std::span<const uint8_t> bytes) {
  switch (status_.state) {
    case State::kDone:
      leftover_.insert(leftover_.end(), bytes.begin(), bytes.end());
      return;
    case State::kFailed:
      return;
    case State::kInProgress:
      break;
  }
  decoder_.feed(bytes);
  while (status_.state == State::kInProgress) {
    switch (decoder_.next()) {
      case MessageDecoder::Result::kNeedMore:
        return;
      case MessageDecoder::Result::kError:
        fail(decoder_.error());
        return;
      case MessageDecoder::Result::kMessage:
        break;
    }
    if (header_received_) {
      on_message(decoder_.message());
    } else if (decoder_.message() == kProtocolId) {
      header_received_ = true;
    } else {
      fail("expected header '" + std::string(kProtocolId) + "', got '" + decoder_.message() + "'");
    }
  }
  if (status_.state == State::kDone) {
    auto rest = decoder_.take_buffered();
    leftover_.insert(leftover_.end(), rest.begin(), rest.end());
  }
}

std::vector<uint8_t> Negotiation::take_output() { return std::exchange(output_, {}); }

std::vector<uint8_t> Negotiation::take_leftover() { return std::exchange(leftover_, {}); }

void Negotiation::send(std::string_view text) { append_message(output_, text); }

void Negotiation::succeed(std::string protocol) {
  status_.state = State::kDone;
  protocol_ = std::move(protocol);
}

void Negotiation::fail(std::string error) { status_ = {State::kFailed, std::move(error)}; }

}  // namespace prowl::multistream
