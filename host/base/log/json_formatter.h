// An spdlog formatter writing one JSON object per line:
// {"time":"2024-05-01T12:00:00.123456Z","level":"info","logger":"prowl","message":"..."}
#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace prowl::log {

/// Formats each record as a single line of JSON. Invalid UTF-8 in a message is
/// replaced by U+FFFD so the line is always valid JSON. Stateless, so
/// thread-safe.
class JsonFormatter final : public spdlog::formatter {
 public:
  /// Appends the JSON line for `msg`, with its newline, to `dest`.
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  /// A copy (spdlog gives each sink its own formatter).
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace prowl::log
