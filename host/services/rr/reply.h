// The outcome of a request-response call: a prowl status with its message,
// and the response bytes when it succeeded.
#pragma once

#include <prowl/plugin.h>

#include <cstdint>
#include <string>
#include <vector>

namespace prowl::rr {

/// A prowl_status code and one line saying why.
struct Status {
  int32_t code = PROWL_OK;
  std::string message;  ///< empty when ok
  bool ok() const noexcept { return code == PROWL_OK; }
};

/// What a request ended with: the response when status.ok().
struct Reply {
  Status status;
  std::vector<uint8_t> bytes;
};

}  // namespace prowl::rr
