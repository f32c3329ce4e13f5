#include "host/base/status/status.h"

#include <cassert>
#include <utility>

namespace prowl {

std::string_view status_code_name(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidInput: return "invalid input";
    case StatusCode::kLimit: return "limit";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInternal: return "internal error";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kUnreachable: return "unreachable";
    case StatusCode::kClosed: return "closed";
    case StatusCode::kRemote: return "remote failure";
  }
  return "unknown status";
}

std::optional<StatusCode> status_code_from_int(int64_t value) noexcept {
  if (value < 0 || value > kLastStatusCode) return std::nullopt;
  return static_cast<StatusCode>(value);
}

Status::Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {
  assert(code != StatusCode::kOk);
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(status_code_name(code_)) + ": " + message_;
}

Status Status::with_context(std::string_view context) const {
  if (ok()) return *this;
  return {code_, std::string(context) + ": " + message_};
}

StatusError::StatusError(Status status) : std::runtime_error(status.message()), status_(std::move(status)) {}

}  // namespace prowl
