// Private: runs one call into plugin code and turns whatever happens into a
// CallResult. No exception escapes.
#pragma once

#include <prowl/plugin.h>

#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "host/base/status/status.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

// The ABI's status codes are StatusCode's, one for one.
static_assert(static_cast<int>(StatusCode::kOk) == PROWL_OK);
static_assert(static_cast<int>(StatusCode::kInvalidInput) == PROWL_ERR_INVALID_INPUT);
static_assert(static_cast<int>(StatusCode::kLimit) == PROWL_ERR_LIMIT);
static_assert(static_cast<int>(StatusCode::kUnsupported) == PROWL_ERR_UNSUPPORTED);
static_assert(static_cast<int>(StatusCode::kNotFound) == PROWL_ERR_NOT_FOUND);
static_assert(static_cast<int>(StatusCode::kInternal) == PROWL_ERR_INTERNAL);
static_assert(static_cast<int>(StatusCode::kTimeout) == PROWL_ERR_TIMEOUT);
static_assert(static_cast<int>(StatusCode::kUnreachable) == PROWL_ERR_UNREACHABLE);
static_assert(static_cast<int>(StatusCode::kClosed) == PROWL_ERR_CLOSED);
static_assert(static_cast<int>(StatusCode::kRemote) == PROWL_ERR_REMOTE);
static_assert(kLastStatusCode == PROWL_ERR_REMOTE);

/// A plugin's error text as one line: cut at its array's end, control
/// characters replaced by spaces.
inline std::string error_line(const prowl_error& err) {
  const void* nul = std::memchr(err.message, '\0', sizeof err.message);
  const size_t n = nul == nullptr ? sizeof err.message
                                  : static_cast<size_t>(static_cast<const char*>(nul) - err.message);
  std::string line(err.message, n);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

/// The words for a prowl_status in messages ("unknown status" outside the enum).
inline std::string_view status_name(int32_t status) {
  const auto code = status_code_from_int(status);
  return code ? status_code_name(*code) : std::string_view("unknown status");
}

/// Calls call(prowl_error*) -> int32_t status. On failure the message reads
/// "failed (<status>): <plugin's text>", "threw an exception: <what>" or
/// "threw an unknown exception"; callers put who failed in front.
template <class F>
CallResult call_guarded(F&& call) noexcept {
  CallResult result;
  prowl_error err{};
  int32_t status = PROWL_ERR_INTERNAL;
  try {
    status = call(&err);
  } catch (const std::exception& e) {
    result.status = PROWL_ERR_INTERNAL;
    result.message = std::string("threw an exception: ") + e.what();
    return result;
  } catch (...) {
    result.status = PROWL_ERR_INTERNAL;
    result.message = "threw an unknown exception";
    return result;
  }
  if (status == PROWL_OK) return result;
  const bool known = status > PROWL_OK && status <= PROWL_ERR_REMOTE;
  result.status = known ? static_cast<prowl_status>(status) : PROWL_ERR_INTERNAL;
  result.message = "failed (" + std::string(status_name(status)) + ")";
  if (std::string detail = error_line(err); !detail.empty()) result.message += ": " + detail;
  return result;
}

/// A failed CallResult with any status, the network ones included.
inline CallResult failure(int32_t status, std::string message) {
  return {static_cast<prowl_status>(status), std::move(message)};
}

/// Calls plugin code (a callback that returns nothing to check); whatever
/// escapes it is swallowed and reported as false.
template <class F>
bool call_plugin(F&& f) noexcept {
  try {
    f();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace prowl::plugins
