// The gzip codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/common/hosted.h"
#include "plugins/codecs/gzip/gzip_codec.h"

PROWL_PLUGIN(prowl::codecs::Hosted<prowl::codecs::GzipCodec>, "gzip", "1.0.0",
             "gzip members (zlib); levels 1..9, 0 = default 6");
