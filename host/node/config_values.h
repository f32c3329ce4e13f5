// Typed reads of validated configuration values for the node's settings.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "host/base/config/config.h"

namespace prowl::node {

/// The kInteger setting at dotted `path` as a count. REQUIRES: `path` names
/// a kInteger setting whose schema minimum is not negative.
size_t config_count(const config::Config& config, std::string_view path);

/// The kInteger setting at dotted `path` as milliseconds. REQUIRES: `path`
/// names a kInteger setting.
std::chrono::milliseconds config_ms(const config::Config& config, std::string_view path);

/// Throws StatusError (kInvalidInput) "<what> (<value>) is above <bound>
/// (<limit>)" when `value` exceeds `limit`; `what` and `bound` name the
/// config keys.
void require_at_most(std::string_view what, int64_t value, std::string_view bound, int64_t limit);

}  // namespace prowl::node
