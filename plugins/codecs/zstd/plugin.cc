// The zstd codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/common/hosted.h"
#include "plugins/codecs/zstd/zstd_codec.h"

PROWL_PLUGIN(prowl::codecs::Hosted<prowl::codecs::ZstdCodec>, "zstd", "1.0.0",
             "Zstandard frames (libzstd); levels -131072..22, 0 = default 3");
