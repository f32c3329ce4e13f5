// The brotli codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/brotli/brotli_codec.h"
#include "plugins/codecs/common/hosted.h"

PROWL_PLUGIN(prowl::codecs::Hosted<prowl::codecs::BrotliCodec>, "brotli", "1.0.0",
             "Brotli streams (libbrotli); qualities 1..11, 0 = default 11");
