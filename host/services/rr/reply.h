// The outcome of a request-response call: a prowl status with its message,
// and the response bytes when it succeeded.
#pragma once

#include <prowl/plugin.h>  // the wire's status values

#include <cstdint>
#include <vector>

#include "host/base/status/status.h"

namespace prowl::rr {

/// Request-response outcomes are the host's one status type. On the wire a
/// response's status byte is the code's value (the ABI's prowl_status), one
/// for one; a value outside the enum is refused as malformed.
using Status = prowl::Status;

/// What a request ended with: the response when status.ok().
struct Reply {
  Status status;
  std::vector<uint8_t> bytes;
};

}  // namespace prowl::rr
