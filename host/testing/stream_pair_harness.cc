#include "host/testing/stream_pair_harness.h"

#include <string>
#include <tuple>

#include "host/base/identity/test_keys.h"
#include "host/testing/memory_stream_pair.h"

namespace prowl::protocols::testing {
StreamPairHarness::StreamPairHarness(std::string_view protocol) {
  std::tie(client, server) = memory_stream_pair(io.get_executor(), std::string(protocol),
                                                identity::test_keys::peer_from_fill(1),
                                                identity::test_keys::peer_from_fill(2));
}

}  // namespace prowl::protocols::testing
