// The part of a multistream-select 1.0 exchange both sides share: the
// header exchange, output and leftover buffers, and the outcome.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/wire/multistream/message_decoder.h"

namespace prowl::multistream {

/// Where a negotiation stands.
enum class State { kInProgress, kDone, kFailed };

/// A negotiation's state and, when kFailed, why.
struct Status {
  State state = State::kInProgress;
  std::string error;  ///< empty unless state == kFailed
  bool no_common_protocol = false;  ///< failed because the peer speaks none of the protocols offered
};

/// Sans-IO negotiation: feed received bytes to on_bytes(), send what
/// take_output() returns. Each side sends the header at once, so the caller
/// should flush take_output() right after construction. Once done, protocol()
/// names the agreed protocol and take_leftover() returns the bytes the peer
/// sent after the final message (they belong to that protocol). Not
/// thread-safe; drive one instance from one strand.
class Negotiation {
 public:
  virtual ~Negotiation() = default;
  Negotiation(const Negotiation&) = delete;
  Negotiation& operator=(const Negotiation&) = delete;

  /// Consumes bytes received from the peer. After kDone they are appended
  /// to the leftover; after kFailed they are ignored.
  void on_bytes(std::span<const uint8_t> bytes);

  /// Removes and returns the bytes to send to the peer (possibly empty).
  /// After kFailed it may still hold a final answer; sending it is optional.
  std::vector<uint8_t> take_output();

  /// The current state, with the error once failed.
  const Status& status() const noexcept { return status_; }

  /// The agreed protocol id; empty until status().state == kDone.
  const std::string& protocol() const noexcept { return protocol_; }

  /// Removes and returns the bytes received after the final message.
  std::vector<uint8_t> take_leftover();

 protected:
  /// Queues the multistream header.
  Negotiation();

  /// Handles one message received after the peer's header, while kInProgress.
  virtual void on_message(const std::string& message) = 0;

  /// Queues `text` as a message. REQUIRES: text.size() < kMaxMessageBytes.
  void send(std::string_view text);

  /// Gives direct access to the output, for answers that are not one message.
  std::vector<uint8_t>& output() noexcept { return output_; }

  /// Ends the negotiation in agreement on `protocol`.
  void succeed(std::string protocol);

  /// Ends the negotiation in failure.
  void fail(std::string error);
  /// After fail(): marks the failure as the peer supporting none of the offers.
  void no_common_protocol() noexcept { status_.no_common_protocol = true; }

 private:
  MessageDecoder decoder_;
  bool header_received_ = false;
  Status status_;
  std::string protocol_;
  std::vector<uint8_t> output_;
  std::vector<uint8_t> leftover_;
};

}  // namespace prowl::multistream
