// UTF-8 validation, for showing received bytes as text (JSON output) only
// when they are text.
#pragma once

#include <cstdint>
#include <span>

namespace prowl::encoding {

/// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or
/// truncated sequences). The empty sequence is.
bool valid_utf8(std::span<const uint8_t> bytes);

}  // namespace prowl::encoding
