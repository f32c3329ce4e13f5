// Adapts a host-independent codec class to the constructor PROWL_PLUGIN
// calls, so the same class serves the plugin, the fuzz targets and the tests.
#pragma once

#include <prowl/sdk.hpp>

namespace prowl::codecs {

/// CodecT with the Host& constructor PROWL_PLUGIN requires; the host is not
/// needed by codecs that only call their own library.
template <class CodecT>
class Hosted final : public CodecT {
 public:
  explicit Hosted(Host& /*host*/) {}
};

}  // namespace prowl::codecs
