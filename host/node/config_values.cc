#include "host/node/config_values.h"

#include <string>

#include "host/base/status/status.h"

namespace prowl::node {

size_t config_count(const config::Config& config, std::string_view path) {
  return static_cast<size_t>(config.get_integer(path));
}

std::chrono::milliseconds config_ms(const config::Config& config, std::string_view path) {
  return std::chrono::milliseconds(config.get_integer(path));
}

void require_at_most(std::string_view what, int64_t value, std::string_view bound, int64_t limit) {
  if (value <= limit) return;
  throw StatusError(StatusCode::kInvalidInput, std::string(what) + " (" + std::to_string(value) + ") is above " +
                                                   std::string(bound) + " (" + std::to_string(limit) + ")");
}

}  // namespace prowl::node
