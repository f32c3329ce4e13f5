// prowl::Status: the host's one error type, a code from StatusCode and a
// message for people. Functions that can fail return a Status (or throw a
// StatusError carrying one, where an exception is the natural exit, such as
// a command's or a coroutine's); callers branch on code(), never on the text.
//
// The codes are the plugin ABI's prowl_status values one for one
// (plugin_host/internal/abi_status.h checks this at compile time), so a
// Status crosses the plugin boundary and comes back unchanged.
//
// Thread safety: a Status is a value; const methods may run concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace prowl {

enum class StatusCode : int32_t {
  kOk = 0,
  kInvalidInput = 1,  ///< the input bytes or arguments are malformed
  kLimit = 2,         ///< a size, count or resource limit was hit
  kUnsupported = 3,   ///< valid, but not supported here
  kNotFound = 4,      ///< a named thing (plugin, key, record, protocol) is absent
  kInternal = 5,      ///< a bug or an unexpected failure
  kTimeout = 6,       ///< a deadline passed
  kUnreachable = 7,   ///< the peer is not connected and could not be dialled
  kClosed = 8,        ///< the stream was reset or its connection was lost
  kRemote = 9,        ///< the remote side failed; the message carries its text
};

/// The highest StatusCode value; every integer in [0, kLastStatusCode] is a code.
inline constexpr int32_t kLastStatusCode = static_cast<int32_t>(StatusCode::kRemote);

/// Lower-case words for a code ("not found"); "unknown status" outside the enum.
std::string_view status_code_name(StatusCode code) noexcept;

/// The code for an integer, or nullopt when `value` names none.
std::optional<StatusCode> status_code_from_int(int64_t value) noexcept;

class [[nodiscard]] Status {
 public:
  /// OK.
  Status() = default;
  /// REQUIRES: code != kOk (an OK status carries no message).
  Status(StatusCode code, std::string message);

  static Status Ok() { return {}; }
  static Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status Limit(std::string m) { return {StatusCode::kLimit, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }
  static Status Unreachable(std::string m) { return {StatusCode::kUnreachable, std::move(m)}; }
  static Status Closed(std::string m) { return {StatusCode::kClosed, std::move(m)}; }
  static Status Remote(std::string m) { return {StatusCode::kRemote, std::move(m)}; }

  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  /// "ok", or "<code name>: <message>".
  std::string to_string() const;

  /// The same code with "<context>: " in front of the message (OK stays OK).
  Status with_context(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// An exception that carries a Status; what() is the status's message.
class StatusError : public std::runtime_error {
 public:
  /// REQUIRES: !status.ok().
  explicit StatusError(Status status);
  StatusError(StatusCode code, std::string message) : StatusError(Status(code, std::move(message))) {}

  const Status& status() const noexcept { return status_; }

 private:
  Status status_;
};

}  // namespace prowl
