// The auto codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/auto/auto_codec.h"

PROWL_PLUGIN(prowl::codecs::AutoCodec, "auto", "1.0.0",
             "Picks lz4, zstd, brotli or xz per payload by a trial on a sample");
